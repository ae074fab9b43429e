#include "auth/oauth_routes.hpp"

#include "auth/oauth.hpp"
#include "auth/routes.hpp"
#include "core/log.hpp"

namespace bijou::auth {

using http::beast_http::field;

namespace {

// A form_post callback carries code (at most 2048 bytes, checked later), state, iss,
// error, error_description and, from Apple on the first login, a small `user` JSON
// object with the name and e-mail. 16 KiB leaves room for all of them encoded.
constexpr std::size_t kMaxCallbackFormBytes = 16 * 1024;

http::Response redirect(const http::Request& request, http::Status status, const std::string& location) {
    http::Response response{status, request.raw.version()};
    response.set(field::location, location);
    response.set(field::cache_control, "no-store");
    return response;
}

OAuthResponseMode response_mode_of(const Config& config, std::string_view provider) {
    for (const auto& entry : config.oauth.providers) {
        if (entry.name == provider) return entry.response_mode;
    }
    // SocialLogin::finish rejects an unknown provider with 404.
    return OAuthResponseMode::query;
}

// The 405 for a callback that arrives by the method of the other response mode. A
// provider's responses always come in its configured mode, so anything else was not
// sent by it.
http::Response wrong_callback_method(const http::Request& request, std::string_view allow) {
    log::warn("social-login callback used the method of the other response mode",
              {{"request_id", request.request_id}, {"method", std::string(request.raw.method_string())}, {"path", request.path}});
    ApiError error(ErrorCode::method_not_allowed, "callback method does not match the provider's response_mode",
                   {{"method", std::string(request.raw.method_string())}, {"path", request.path}, {"allow", std::string(allow)}});
    auto response = http::problem_response(request, error);
    response.set(field::allow, allow);
    return response;
}

// Finishes a login from its callback parameters and sends the browser to the storefront.
boost::asio::awaitable<http::Response> complete_login(http::Request& request, SocialLogin& social, const Config& config,
                                                      OAuthCallback callback, OAuthResponseMode mode) {
    callback.browser_binding = cookie_value(request.raw[field::cookie], kBindingCookie);
    callback.locale = std::string(locale_tag(request.locale));
    ClientInfo client{std::string(request.raw[field::user_agent]), request.remote_address};
    auto signed_in = co_await social.finish(callback, client);

    // The storefront cannot read the API's cookies, so the CSRF token travels in the
    // fragment, which browsers never send to a server. The storefront then calls
    // POST /v1/auth/refresh with the cookie and this token to get an access token.
    auto csrf = new_csrf_token();
    // 303 makes the browser follow a form_post callback with a GET.
    auto status = mode == OAuthResponseMode::form_post ? http::Status::see_other : http::Status::found;
    auto response = redirect(request, status, signed_in.return_to + "#csrf_token=" + csrf);
    set_session_cookies(response, signed_in.tokens, csrf, config);
    response.insert(field::set_cookie, binding_cookie("", std::chrono::seconds(0), mode, config.auth.cookie_secure));
    co_return response;
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
        auto response = redirect(request, http::Status::found, started.authorization_url);
        response.insert(field::set_cookie, binding_cookie(started.browser_binding, config.oauth.state_ttl,
                                                          started.response_mode, config.auth.cookie_secure));
        co_return response;
    });

    pipeline.add(Verb::get, "/v1/auth/oauth/{provider}/callback", [&social, &config](http::Request& request) -> Awaitable {
        OAuthCallback callback;
        callback.provider = std::string(request.params.get("provider"));
        if (response_mode_of(config, callback.provider) == OAuthResponseMode::form_post) {
            co_return wrong_callback_method(request, "POST");
        }
        callback.code = request.query.get("code");
        callback.state = request.query.get("state");
        callback.error = request.query.get("error");
        callback.issuer = request.query.get("iss");
        co_return co_await complete_login(request, social, config, callback, OAuthResponseMode::query);
    });

    // response_mode=form_post (OAuth 2.0 Form Post Response Mode): the provider's page
    // submits the parameters as a form, cross-site. Only form_post providers get this
    // route, so the router returns 405 to a POST for any other provider.
    for (const auto& provider : config.oauth.providers) {
        if (provider.response_mode != OAuthResponseMode::form_post) continue;
        auto path = "/v1/auth/oauth/" + provider.name + "/callback";
        auto handler = [&social, &config, name = provider.name](http::Request& request) -> Awaitable {
            if (request.raw.body().size() > kMaxCallbackFormBytes) {
                throw ApiError(ErrorCode::payload_too_large, "form_post callback body too large",
                               {{"limit", std::to_string(kMaxCallbackFormBytes)}});
            }
            // A form body has the syntax of a query string, including '+' for a space.
            auto form = http::QueryParams::parse(request.raw.body());
            OAuthCallback callback;
            callback.provider = name;
            callback.code = form.get("code");
            callback.state = form.get("state");
            callback.error = form.get("error");
            callback.issuer = form.get("iss");
            co_return co_await complete_login(request, social, config, callback, OAuthResponseMode::form_post);
        };
        pipeline.add(Verb::post, path, std::move(handler), http::BodyType::form);
    }
}

}  // namespace bijou::auth
