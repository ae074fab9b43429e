// Fuzzes HTTP request parsing with the server's limits, then routing of the parsed target.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string>

#include "http/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace http = boost::beast::http;
    static const auto router = [] {
        bijou::http::Router<int> routes;
        routes.add(http::verb::get, "/v1/products", 1);
        routes.add(http::verb::get, "/v1/products/{slug}", 2);
        routes.add(http::verb::get, "/v1/products/{slug}/pendant-options", 3);
        routes.add(http::verb::post, "/v1/auth/login", 4);
        routes.add(http::verb::get, "/media/{key...}", 5);
        return routes;
    }();

    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(64 * 1024);
    parser.eager(true);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_header_done()) return 0;

    const auto& message = parser.get();
    auto target = message.target();
    auto path = target.substr(0, target.find('?'));
    auto match = router.match(message.method(), path);
    if (match.target != nullptr && !match.allowed.empty()) __builtin_trap();
    return 0;
}
