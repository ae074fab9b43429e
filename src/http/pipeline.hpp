#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <functional>
#include <vector>

#include "core/config.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace bijou::http {

// The media type a route accepts in a request body. A body of any other type gets 415.
enum class BodyType {
    // application/json or application/*+json.
    json,
    // application/x-www-form-urlencoded, for callbacks that browsers submit as HTML forms.
    form,
};

// A registered handler and the request body type it accepts.
struct Endpoint {
    Handler handler;
    BodyType body_type = BodyType::json;
};

// The request path after the connection has read a request: routing, CORS, content-type
// checks, the handler, error mapping, security headers and the access log, in that order.
class Pipeline {
public:
    explicit Pipeline(const HttpConfig& config);

    // A check every routed request passes before its handler, such as the global per-IP
    // budget. Health checks and payment webhooks skip it.
    using Guard = std::function<boost::asio::awaitable<void>(const Request&)>;
    void set_guard(Guard guard) { guard_ = std::move(guard); }

    void add(Verb method, std::string_view path_template, Handler handler, BodyType body_type = BodyType::json) {
        router_.add(method, path_template, Endpoint{std::move(handler), body_type});
    }

    // Reads the per-request context (request id, locale, query) from the raw request.
    // Never throws: a malformed query becomes a 400 in handle().
    void prepare(Request& request) const;

    boost::asio::awaitable<Response> handle(Request& request) const;

    // Adds the headers every response carries (request id, security headers, CORS) and
    // writes the access-log line. Also used for errors raised before routing.
    void finish(const Request& request, Response& response) const;

    // True when `origin` is in http.cors_allowed_origins.
    bool origin_allowed(std::string_view origin) const;

private:
    boost::asio::awaitable<Response> dispatch(Request& request) const;
    Response preflight(const Request& request, const std::vector<Verb>& methods) const;

    // Replaces remote_address with the client's address from X-Forwarded-For when the
    // connection comes from a trusted proxy.
    void resolve_client(Request& request) const;
    bool is_trusted_proxy(const boost::asio::ip::address& address) const;

    const HttpConfig& config_;
    Router<Endpoint> router_;
    Guard guard_;
    std::vector<boost::asio::ip::network_v4> trusted_v4_;
    std::vector<boost::asio::ip::network_v6> trusted_v6_;
};

}  // namespace bijou::http
