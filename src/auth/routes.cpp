#include "auth/routes.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "core/contact.hpp"
#include "core/cpf.hpp"
#include "core/log.hpp"
#include "http/json_body.hpp"

namespace bijou::auth {

namespace json = boost::json;
using http::beast_http::field;

namespace {

constexpr std::string_view kRefreshCookie = "bijou_refresh";
constexpr std::string_view kCsrfCookie = "bijou_csrf";

std::string lower_ascii(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

// Finds a cookie's value in a Cookie header ("a=1; b=2").
std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semicolon = header.find(';');
        auto pair = header.substr(0, semicolon);
        header = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    }
    return std::nullopt;
}

namespace {

ClientInfo client_of(const http::Request& request) {
    return ClientInfo{std::string(request.raw[field::user_agent]), request.remote_address};
}

std::string cookie(std::string_view name, std::string_view value, std::string_view path, bool http_only,
                   std::chrono::seconds max_age, const Config& config) {
    std::string text = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
                       "; Max-Age=" + std::to_string(max_age.count()) + "; SameSite=Strict";
    if (http_only) text += "; HttpOnly";
    if (config.auth.cookie_secure) text += "; Secure";
    return text;
}

// Renders a login result. Native apps get the refresh token in the body. Browsers get it
// in an HttpOnly cookie scoped to /v1/auth, plus a CSRF token to echo in X-CSRF-Token.
http::Response token_response(const http::Request& request, const json::object* user, const Tokens& tokens,
                              bool native, http::Status status, const Config& config) {
    json::object body;
    if (user != nullptr) body["user"] = *user;
    body["access_token"] = tokens.access_token;
    body["token_type"] = "Bearer";
    body["expires_in"] = tokens.expires_in;

    std::string csrf;
    if (native) {
        body["refresh_token"] = tokens.refresh_token;
    } else {
        csrf = new_csrf_token();
        body["csrf_token"] = csrf;
    }
    auto response = http::json_response(request, json::serialize(body), status);
    if (!native) set_session_cookies(response, tokens, csrf, config);
    return response;
}

http::Response cleared_cookies(const http::Request& request, const Config& config) {
    http::Response response{http::Status::no_content, request.raw.version()};
    response.insert(field::set_cookie, cookie(kRefreshCookie, "", "/v1/auth", true, std::chrono::seconds(0), config));
    response.insert(field::set_cookie, cookie(kCsrfCookie, "", "/", false, std::chrono::seconds(0), config));
    return response;
}

// Returns the refresh token a request presents: from the body for native apps, else from
// the cookie, which also requires an allowlisted Origin and the double-submit CSRF header.
std::string presented_refresh_token(const http::Request& request, const http::Pipeline& pipeline, bool& from_cookie) {
    std::optional<std::string> from_body;
    if (!request.raw.body().empty()) {
        http::BodyReader body(request, {"refresh_token"});
        from_body = body.string("refresh_token", true, 256);
        body.finish();
    }
    from_cookie = !from_body;
    if (from_body) return *from_body;

    auto cookies = request.raw[field::cookie];
    auto token = cookie_value(cookies, kRefreshCookie);
    if (!token || token->empty()) throw ApiError(ErrorCode::invalid_refresh_token, "no refresh token presented");
    if (!pipeline.origin_allowed(request.raw[field::origin])) {
        throw ApiError(ErrorCode::csrf_rejected, "cookie request from origin '" + std::string(request.raw[field::origin]) + "'");
    }
    auto expected = cookie_value(cookies, kCsrfCookie);
    auto header = request.raw["X-CSRF-Token"];
    if (!expected || expected->empty() || header.size() != expected->size() ||
        sodium_memcmp(header.data(), expected->data(), expected->size()) != 0) {
        throw ApiError(ErrorCode::csrf_rejected, "X-CSRF-Token missing or not matching the bijou_csrf cookie");
    }
    return *token;
}


std::optional<std::string> checked_phone(http::BodyReader& body, std::optional<std::string> phone) {
    if (!phone) return std::nullopt;
    if (!is_e164_phone(*phone)) {
        body.add_error("phone", "invalid_phone");
        return std::nullopt;
    }
    return phone;
}

std::optional<std::string> checked_locale(http::BodyReader& body, std::optional<std::string> locale) {
    if (locale && *locale != "pt-BR" && *locale != "en") {
        body.add_error("locale", "unknown_value", {{"allowed", "pt-BR, en"}});
        return std::nullopt;
    }
    return locale;
}

bool is_native(http::BodyReader& body) {
    auto client = body.string("client", false, 20);
    if (client && *client != "native" && *client != "browser") {
        body.add_error("client", "unknown_value", {{"allowed", "native, browser"}});
    }
    return client && *client == "native";
}

// Merges the guest cart of X-Cart-Token into the signed-in customer's cart. A failed merge
// leaves both carts as they were and does not fail the login.
boost::asio::awaitable<void> merge_guest_cart(const http::Request& request, const json::object& user,
                                              const CartMerge& merge_cart) {
    auto token = request.raw["X-Cart-Token"];
    if (token.empty() || !merge_cart) co_return;
    std::string user_id(user.at("id").as_string());
    std::string guest_token(token);
    try {
        co_await merge_cart(user_id, guest_token);
    } catch (const std::exception& error) {
        log::warn("guest cart not merged at login", {{"user_id", user_id}, {"error", error.what()}});
    }
}

}  // namespace

std::string new_csrf_token() {
    std::string bytes(24, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return base64url_encode(bytes);
}

void set_session_cookies(http::Response& response, const Tokens& tokens, const std::string& csrf, const Config& config) {
    response.insert(field::set_cookie,
                    cookie(kRefreshCookie, tokens.refresh_token, "/v1/auth", true, config.auth.refresh_absolute_ttl, config));
    response.insert(field::set_cookie, cookie(kCsrfCookie, csrf, "/", false, config.auth.refresh_absolute_ttl, config));
}

void check_password_field(http::BodyReader& body, const std::optional<std::string>& password) {
    if (!password) return;
    PasswordPolicy policy;
    switch (check_new_password(*password, policy)) {
        case PasswordProblem::none: break;
        case PasswordProblem::too_short: body.add_error("password", "too_short", {{"min", std::to_string(policy.min_length)}}); break;
        case PasswordProblem::too_long: body.add_error("password", "too_long", {{"max", std::to_string(policy.max_length)}}); break;
        case PasswordProblem::too_common: body.add_error("password", "too_common"); break;
    }
}

void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, EmailFlows& flows,
                const Config& config, CartMerge merge_cart) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(Verb::get, "/.well-known/jwks.json", [&keys](http::Request& request) -> Awaitable {
        auto ring = co_await keys.current();
        json::object body{{"keys", ring->jwks}};
        auto response = http::json_response(request, json::serialize(body));
        response.set(field::content_type, "application/jwk-set+json");
        // Short enough that a rotated key reaches verifiers well within a token's lifetime.
        http::make_cacheable(request, response, std::chrono::seconds(300), "jwks");
        co_return response;
    });

    pipeline.add(Verb::post, "/v1/auth/register", [&accounts, &config, merge_cart](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"email", "password", "name", "phone", "cpf", "locale", "client"});
        Registration registration;
        auto email = body.string("email", true, 254);
        if (email && !is_plausible_email(*email)) body.add_error("email", "invalid_email");
        // The reader's cap equals the policy's maximum, so one limit is reported.
        auto password = body.string("password", true, PasswordPolicy{}.max_length);
        check_password_field(body, password);
        auto name = body.string("name", true, 200);
        if (name && name->find_first_not_of(" \t") == std::string::npos) body.add_error("name", "empty");
        registration.phone = checked_phone(body, body.string("phone", false, 16));
        if (auto cpf = body.string("cpf", false, 14)) {
            registration.cpf = normalize_cpf(*cpf);
            if (!registration.cpf) body.add_error("cpf", "invalid_cpf");
        }
        registration.locale = checked_locale(body, body.string("locale", false, 5)).value_or("pt-BR");
        bool native = is_native(body);
        body.finish();

        registration.email = lower_ascii(*email);
        registration.password = *password;
        registration.name = *name;
        auto client = client_of(request);
        auto [user, tokens] = co_await accounts.register_customer(registration, client);
        co_await merge_guest_cart(request, user, merge_cart);
        co_return token_response(request, &user, tokens, native, http::Status::created, config);
    });

    pipeline.add(Verb::post, "/v1/auth/login", [&accounts, &config, merge_cart](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"email", "password", "client"});
        auto email = body.string("email", true, 254);
        auto password = body.string("password", true, 1024);
        bool native = is_native(body);
        body.finish();
        auto normalized_email = lower_ascii(*email);
        auto client = client_of(request);
        auto [user, tokens] = co_await accounts.login(normalized_email, *password, client);
        co_await merge_guest_cart(request, user, merge_cart);
        co_return token_response(request, &user, tokens, native, http::Status::ok, config);
    });

    pipeline.add(Verb::post, "/v1/auth/refresh", [&accounts, &config, &pipeline](http::Request& request) -> Awaitable {
        bool from_cookie = false;
        auto token = presented_refresh_token(request, pipeline, from_cookie);
        auto tokens = co_await accounts.refresh(token, request.remote_address);
        co_return token_response(request, nullptr, tokens, !from_cookie, http::Status::ok, config);
    });

    pipeline.add(Verb::post, "/v1/auth/logout", [&accounts, &config, &pipeline](http::Request& request) -> Awaitable {
        auto authorization = request.raw[field::authorization];
        if (!authorization.empty() && request.raw.body().empty()) {
            auto principal = co_await accounts.authenticate(authorization);
            co_await accounts.logout(principal);
        } else {
            bool from_cookie = false;
            auto token = presented_refresh_token(request, pipeline, from_cookie);
            co_await accounts.logout_by_refresh_token(token);
        }
        co_return cleared_cookies(request, config);
    });

    pipeline.add(Verb::post, "/v1/auth/logout-all", [&accounts, &config](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        co_await accounts.logout_all(principal);
        co_return cleared_cookies(request, config);
    });

    pipeline.add(Verb::get, "/v1/me", [&accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        auto user = co_await accounts.profile(principal.user_id);
        co_return http::json_response(request, json::serialize(user));
    });

    pipeline.add(Verb::get, "/v1/me/export", [&accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        auto client = client_of(request);
        auto document = co_await accounts.export_data(principal.user_id, client, request.request_id);
        auto response = http::json_response(request, document);
        response.set(field::content_disposition, "attachment; filename=\"meus-dados-bijou.json\"");
        co_return response;
    });

    pipeline.add(Verb::delete_, "/v1/me", [&accounts, &config](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        std::optional<std::string> password;
        if (!request.raw.body().empty()) {
            http::BodyReader body(request, {"password"});
            password = body.string("password", false, 1024);
            body.finish();
        }
        auto client = client_of(request);
        co_await accounts.anonymize(principal, password, client, request.request_id);
        co_return cleared_cookies(request, config);
    });

    pipeline.add(Verb::patch, "/v1/me", [&accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        http::BodyReader body(request, {"name", "phone", "locale"});
        ProfileChange change;
        change.name = body.string("name", false, 200);
        if (change.name && change.name->find_first_not_of(" \t") == std::string::npos) body.add_error("name", "empty");
        change.phone = checked_phone(body, body.string("phone", false, 16));
        change.locale = checked_locale(body, body.string("locale", false, 5));
        body.finish();
        auto user = co_await accounts.update_profile(principal.user_id, change);
        co_return http::json_response(request, json::serialize(user));
    });

    pipeline.add(Verb::post, "/v1/auth/verify-email", [&accounts, &flows](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"token"});
        auto token = body.string("token", true, 256);
        body.finish();
        // Tokens are lower-case hex; a copy that a mail client upper-cased still works.
        auto normalized_token = lower_ascii(*token);
        auto user_id = co_await flows.verify_email(normalized_token);
        auto user = co_await accounts.profile(user_id);
        json::object answer{{"user", user}};
        co_return http::json_response(request, json::serialize(answer));
    });

    pipeline.add(Verb::post, "/v1/auth/verify-email/resend", [&accounts, &flows](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        co_await flows.resend_verification(principal.user_id);
        co_return http::Response{http::Status::accepted, request.raw.version()};
    });

    pipeline.add(Verb::post, "/v1/auth/password/forgot", [&flows](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"email"});
        auto email = body.string("email", true, 254);
        if (email && !is_plausible_email(*email)) body.add_error("email", "invalid_email");
        body.finish();
        auto normalized_email = lower_ascii(*email);
        auto client = client_of(request);
        co_await flows.request_password_reset(normalized_email, client);
        co_return http::Response{http::Status::accepted, request.raw.version()};
    });

    pipeline.add(Verb::post, "/v1/auth/password/reset", [&flows, &config](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"token", "password"});
        auto token = body.string("token", true, 256);
        auto password = body.string("password", true, PasswordPolicy{}.max_length);
        check_password_field(body, password);
        body.finish();
        auto client = client_of(request);
        auto normalized_token = lower_ascii(*token);
        co_await flows.reset_password(normalized_token, *password, client);
        co_return cleared_cookies(request, config);
    });
}

}  // namespace bijou::auth
