#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

namespace bijou::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

Response request(std::uint16_t port, http::verb method, const std::string& target, const Headers& headers,
                 const std::string& body) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});

    http::request<http::string_body> message{method, target, 11};
    message.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) message.set(name, value);
    message.body() = body;
    if (!body.empty() || method == http::verb::post) message.prepare_payload();
    http::write(socket, message);

    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == http::verb::head) parser.skip(true);
    http::read(socket, buffer, parser);
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    return parser.release();
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::size_t max_bytes) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(bytes), ec);
    std::string out;
    char chunk[4096];
    while (out.size() < max_bytes) {
        auto size = socket.read_some(asio::buffer(chunk), ec);
        if (ec) break;
        out.append(chunk, size);
    }
    return out;
}

boost::json::value json_body(const Response& response) {
    return boost::json::parse(response.body());
}

}  // namespace bijou::testing
