#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "http/router.hpp"

namespace bijou::http {

namespace beast_http = boost::beast::http;
using RawRequest = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Status = beast_http::status;

// Decoded query-string parameters in the order they were sent.
class QueryParams {
public:
    // Parses the query part of a request target. Throws ApiError(malformed_request) for
    // an invalid percent escape.
    static QueryParams parse(std::string_view query);

    // Returns the value of `name`, or nullopt when absent. Throws invalid_parameter when
    // the parameter is repeated, because picking one of several values silently hides
    // client bugs.
    std::optional<std::string> get(std::string_view name) const;

    std::size_t size() const { return items_.size(); }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

// One request as handlers see it.
struct Request {
    RawRequest raw;
    std::string path;
    QueryParams query;
    PathParams params;
    std::string request_id;
    Locale locale = Locale::pt_BR;
    std::string remote_address;
    std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// Builds a 200 (or `status`) response with a JSON body.
Response json_response(const Request& request, std::string body, Status status = Status::ok);

// Builds the RFC 9457 problem+json response for an error, localized for the request.
Response problem_response(const Request& request, const ApiError& error);

// Makes a public, cacheable GET response: sets ETag (a hash of the body), Cache-Control
// with `max_age`, Surrogate-Key for CDN purges, and turns the response into 304 Not
// Modified when If-None-Match names the same ETag.
void make_cacheable(const Request& request, Response& response, std::chrono::seconds max_age,
                    std::string_view surrogate_keys);

// Computes the strong entity tag of a body, quoted as in an ETag header.
std::string entity_tag(std::string_view body);

// True when an If-None-Match header value lists `etag` (weak comparison) or is "*".
bool if_none_match_hits(std::string_view header, std::string_view etag);

}  // namespace bijou::http
