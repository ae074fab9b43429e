#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bijou::testing {

using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Sends one HTTP/1.1 request to 127.0.0.1:port and reads the response.
Response request(std::uint16_t port, boost::beast::http::verb method, const std::string& target,
                 const Headers& headers = {}, const std::string& body = {});

inline Response get(std::uint16_t port, const std::string& target, const Headers& headers = {}) {
    return request(port, boost::beast::http::verb::get, target, headers);
}

// Writes raw bytes and returns the raw response text (up to the connection close or
// `max_bytes`), for requests a well-formed client cannot produce.
std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::size_t max_bytes = 1 << 20);

boost::json::value json_body(const Response& response);

}  // namespace bijou::testing
