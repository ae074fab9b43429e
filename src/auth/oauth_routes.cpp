#include "auth/oauth_routes.hpp"

#include "auth/routes.hpp"

namespace bijou::auth {

using http::beast_http::field;

namespace {

// Ties a callback to the browser that started the login. SameSite=Lax, because the
// provider brings the browser back with a cross-site top-level navigation, which does
// not carry Strict cookies.
constexpr std::string_view kBindingCookie = "bijou_oauth";
constexpr std::string_view kBindingPath = "/v1/auth/oauth";

std::string binding_cookie(std::string_view value, std::chrono::seconds max_age, const Config& config) {
    std::string text = std::string(kBindingCookie) + "=" + std::string(value) + "; Path=" + std::string(kBindingPath) +
                       "; Max-Age=" + std::to_string(max_age.count()) + "; SameSite=Lax; HttpOnly";
    if (config.auth.cookie_secure) text += "; Secure";
    return text;
}

http::Response redirect(const http::Request& request, const std::string& location) {
    http::Response response{http::Status::found, request.raw.version()};
    response.set(field::location, location);
    response.set(field::cache_control, "no-store");
    return response;
}

}  // namespace

void add_oauth_routes(http::Pipeline& pipeline, SocialLogin& social, const Config& config) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(Verb::get, "/v1/auth/oauth/{provider}/start", [&social, &config](http::Request& request) -> Awaitable {
        std::string provider(request.params.get("provider"));
        auto return_to = request.query.get("return_to");
        ClientInfo client{std::string(request.raw[field::user_agent]), request.remote_address};
        auto started = co_await social.start(provider, return_to, client);
        auto response = redirect(request, started.authorization_url);
        response.insert(field::set_cookie, binding_cookie(started.browser_binding, config.oauth.state_ttl, config));
        co_return response;
    });

    // TODO: accept response_mode=form_post (a cross-site POST with a form body), which
    // Sign in with Apple requires for the email scope. The pipeline takes only JSON
    // bodies, and such a POST does not carry the SameSite=Lax binding cookie.
    pipeline.add(Verb::get, "/v1/auth/oauth/{provider}/callback", [&social, &config](http::Request& request) -> Awaitable {
        OAuthCallback callback;
        callback.provider = std::string(request.params.get("provider"));
        callback.code = request.query.get("code");
        callback.state = request.query.get("state");
        callback.error = request.query.get("error");
        callback.issuer = request.query.get("iss");
        callback.browser_binding = cookie_value(request.raw[field::cookie], kBindingCookie);
        callback.locale = std::string(locale_tag(request.locale));
        ClientInfo client{std::string(request.raw[field::user_agent]), request.remote_address};
        auto signed_in = co_await social.finish(callback, client);

        // The storefront cannot read the API's cookies, so the CSRF token travels in the
        // fragment, which browsers never send to a server. The storefront then calls
        // POST /v1/auth/refresh with the cookie and this token to get an access token.
        auto csrf = new_csrf_token();
        auto response = redirect(request, signed_in.return_to + "#csrf_token=" + csrf);
        set_session_cookies(response, signed_in.tokens, csrf, config);
        response.insert(field::set_cookie, binding_cookie("", std::chrono::seconds(0), config));
        co_return response;
    });
}

}  // namespace bijou::auth
