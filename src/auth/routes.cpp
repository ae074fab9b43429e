#include "auth/routes.hpp"

#include <boost/json.hpp>

namespace bijou::auth {

void add_routes(http::Pipeline& pipeline, KeyStore& keys) {
    pipeline.add(http::Verb::get, "/.well-known/jwks.json",
                 [&keys](http::Request& request) -> boost::asio::awaitable<http::Response> {
                     auto ring = co_await keys.current();
                     boost::json::object body{{"keys", ring->jwks}};
                     auto response = http::json_response(request, boost::json::serialize(body));
                     response.set(http::beast_http::field::content_type, "application/jwk-set+json");
                     // Short enough that a rotated key reaches verifiers well within an
                     // access token's lifetime.
                     http::make_cacheable(request, response, std::chrono::seconds(300), "jwks");
                     co_return response;
                 });
}

}  // namespace bijou::auth
