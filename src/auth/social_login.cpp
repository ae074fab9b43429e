#include "auth/social_login.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "auth/oauth.hpp"
#include "auth/tokens.hpp"
#include "core/log.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

constexpr std::string_view kStateKeyPrefix = "oauth_state:";
constexpr std::chrono::seconds kStartIpWindow{5 * 60};
constexpr std::size_t kMaxReturnToBytes = 2048;

// The Redis key of a login's state. It contains the SHA-256 of the state, so a Redis dump
// shows no value that a callback would accept.
std::string state_key(std::string_view state) {
    return std::string(kStateKeyPrefix) + sha256_hex(state);
}

std::string query_encode(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

bool is_base64url_token(std::string_view text, std::size_t max_length) {
    return !text.empty() && text.size() <= max_length && std::ranges::all_of(text, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// Returns scheme://host[:port] of an absolute http(s) URL without user info, else nullopt.
std::optional<std::string> origin_of(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || !parsed->has_authority() ||
        parsed->has_userinfo() || parsed->host().empty()) {
        return std::nullopt;
    }
    std::string origin = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host());
    if (parsed->has_port()) origin += ":" + std::string(parsed->port());
    return origin;
}

bool equal_secrets(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A claim as text, or empty when absent or not a string.
std::string text_claim(const json::object& claims, std::string_view name) {
    const auto* value = claims.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Keeps at most `max` code points of UTF-8 text and turns control characters into spaces.
std::string display_name(std::string text, std::size_t max) {
    std::string out;
    std::size_t code_points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        bool continuation = (byte & 0xC0) == 0x80;
        if (!continuation && ++code_points > max) break;
        out.push_back(byte < 0x20 || byte == 0x7F ? ' ' : text[i]);
    }
    auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

ExternalIdentity identity_from(const json::object& claims, const OAuthProviderConfig& provider, const std::string& locale) {
    ExternalIdentity identity;
    identity.provider = provider.name;
    identity.issuer = provider.issuer;
    identity.subject = text_claim(claims, "sub");
    identity.email = text_claim(claims, "email");
    for (auto& c : identity.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto at = identity.email.find('@');
    if (identity.email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == identity.email.size()) {
        identity.email.clear();
    }
    identity.email_verified = email_verified_claim(claims);
    auto name = text_claim(claims, "name");
    if (name.empty()) name = text_claim(claims, "given_name") + " " + text_claim(claims, "family_name");
    identity.name = display_name(name, 200);
    identity.locale = locale;
    return identity;
}

}  // namespace

SocialLogin::SocialLogin(redis::Client& redis, net::HttpFetcher& fetcher, AccountService& accounts,
                         ratelimit::Limiter& limiter, const Config& config)
    : redis_(redis), accounts_(accounts), limiter_(limiter), config_(config) {
    for (const auto& provider : config.oauth.providers) {
        clients_.emplace(provider.name, std::make_unique<OidcClient>(provider, fetcher, config));
    }
}

std::string SocialLogin::redirect_uri(std::string_view provider) const {
    return config_.http.public_base_url + "/v1/auth/oauth/" + std::string(provider) + "/callback";
}

OidcClient& SocialLogin::client_for(const std::string& provider) {
    auto found = clients_.find(provider);
    if (found == clients_.end()) {
        throw ApiError(ErrorCode::oauth_provider_not_found, "no provider named " + provider, {{"provider", provider}});
    }
    return *found->second;
}

std::string SocialLogin::checked_return_to(const std::optional<std::string>& return_to) const {
    if (!return_to) return config_.oauth.storefront_url;
    // The browser goes there with a CSRF token in the fragment, so only the storefront's
    // own origins qualify: oauth.storefront_url's and the CORS allowlist's.
    auto origin = origin_of(*return_to);
    bool allowed = origin && return_to->size() <= kMaxReturnToBytes && return_to->find('#') == std::string::npos &&
                   (origin == origin_of(config_.oauth.storefront_url) ||
                    std::ranges::find(config_.http.cors_allowed_origins, *origin) != config_.http.cors_allowed_origins.end());
    if (!allowed) throw invalid_parameter("return_to", "origin_not_allowed");
    return *return_to;
}

boost::asio::awaitable<OAuthStart> SocialLogin::start(const std::string& provider,
                                                      const std::optional<std::string>& return_to,
                                                      const ClientInfo& client) {
    auto& oidc = client_for(provider);
    auto destination = checked_return_to(return_to);
    // Each start stores a Redis key for oauth.state_ttl_s, so starts share the login budget.
    ratelimit::Rule per_ip{"oauth_start_ip", config_.auth.login_limit_per_ip, kStartIpWindow};
    co_await limiter_.hit(per_ip, client.ip);
    auto endpoints = co_await oidc.metadata();

    auto state = random_token();
    auto nonce = random_token();
    auto verifier = random_token();
    OAuthStart started;
    started.browser_binding = random_token();
    json::object stored{{"provider", provider},
                        {"nonce", nonce},
                        {"code_verifier", verifier},
                        {"return_to", destination},
                        {"binding", sha256_hex(started.browser_binding)}};
    std::vector<std::string> command{"SET", state_key(state), json::serialize(stored), "EX",
                                     std::to_string(config_.oauth.state_ttl.count()), "NX"};
    try {
        auto reply = co_await redis_.command(command);
        if (reply.type != redis::Reply::Type::status) throw redis::RedisError("SET NX of a new state did not store it");
    } catch (const redis::RedisError& error) {
        throw ApiError(ErrorCode::service_unavailable, std::string("cannot store OAuth state: ") + error.what());
    }

    const auto& authorize = endpoints->authorization_endpoint;
    started.authorization_url = authorize + (authorize.find('?') == std::string::npos ? "?" : "&") +
                                "response_type=code&client_id=" + query_encode(oidc.provider().client_id) +
                                "&redirect_uri=" + query_encode(redirect_uri(provider)) +
                                "&scope=" + query_encode("openid email profile") + "&state=" + state +
                                "&nonce=" + nonce + "&code_challenge=" + pkce_s256_challenge(verifier) +
                                "&code_challenge_method=S256";
    started.response_mode = oidc.provider().response_mode;
    if (started.response_mode == OAuthResponseMode::form_post) started.authorization_url += "&response_mode=form_post";
    co_return started;
}

boost::asio::awaitable<std::optional<std::string>> SocialLogin::take_state(const std::string& state) {
    std::vector<std::string> command{"GETDEL", state_key(state)};
    redis::Reply reply;
    try {
        reply = co_await redis_.command(command);
    } catch (const redis::RedisError& error) {
        throw ApiError(ErrorCode::service_unavailable, std::string("cannot read OAuth state: ") + error.what());
    }
    if (reply.type != redis::Reply::Type::string) co_return std::nullopt;
    co_return reply.text;
}

boost::asio::awaitable<OAuthSignIn> SocialLogin::finish(const OAuthCallback& callback, const ClientInfo& client) {
    auto& oidc = client_for(callback.provider);
    const auto& provider = oidc.provider();
    std::map<std::string, std::string> provider_arg{{"provider", provider.name}};

    if (callback.error) {
        // The login is over either way, so its state goes.
        if (callback.state && is_base64url_token(*callback.state, 128)) co_await take_state(*callback.state);
        if (*callback.error == "access_denied") {
            throw ApiError(ErrorCode::oauth_access_denied, provider.name + " returned error access_denied", provider_arg);
        }
        // The value comes from the query string, so only a plain error code is echoed.
        bool plain = !callback.error->empty() && callback.error->size() <= 64 &&
                     std::ranges::all_of(*callback.error, [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
        auto error_code = plain ? *callback.error : std::string("unknown");
        throw ApiError(ErrorCode::oauth_authorization_failed, provider.name + " returned error " + error_code,
                       {{"provider", provider.name}, {"error", error_code}});
    }
    if (!callback.code || callback.code->empty()) throw invalid_parameter("code", "required");
    if (!callback.state || callback.state->empty()) throw invalid_parameter("state", "required");
    if (callback.code->size() > 2048) throw invalid_parameter("code", "too_long", {{"max", "2048"}});
    if (!is_base64url_token(*callback.state, 128)) {
        throw ApiError(ErrorCode::oauth_invalid_state, "malformed state parameter");
    }

    auto stored_text = co_await take_state(*callback.state);
    if (!stored_text) throw ApiError(ErrorCode::oauth_invalid_state, "state unknown, used or expired");
    boost::system::error_code ec;
    auto stored_value = json::parse(*stored_text, ec);
    if (ec || !stored_value.is_object()) throw ApiError(ErrorCode::internal_error, "unreadable OAuth state in Redis");
    const auto& stored = stored_value.as_object();
    auto stored_text_of = [&](std::string_view name) { return text_claim(stored, name); };
    if (stored_text_of("provider") != provider.name) {
        throw ApiError(ErrorCode::oauth_invalid_state, "state was issued for provider " + stored_text_of("provider"));
    }
    // Without this check an attacker could send a victim the callback URL of the
    // attacker's own login and sign the victim into the attacker's account.
    if (!callback.browser_binding || !equal_secrets(sha256_hex(*callback.browser_binding), stored_text_of("binding"))) {
        throw ApiError(ErrorCode::oauth_invalid_state, "browser binding cookie missing or not matching the state");
    }
    // RFC 9207 defends against a provider mix-up when the provider names itself.
    if (callback.issuer && *callback.issuer != provider.issuer) {
        throw ApiError(ErrorCode::oauth_authorization_failed, "callback iss parameter names another issuer",
                       {{"provider", provider.name}, {"error", "issuer_mismatch"}});
    }

    auto callback_uri = redirect_uri(provider.name);
    auto verifier = stored_text_of("code_verifier");
    auto id_token = co_await oidc.exchange_code(*callback.code, verifier, callback_uri);
    auto nonce = stored_text_of("nonce");
    auto verified = co_await oidc.verify(id_token, nonce);
    if (verified.error != IdTokenError::none) {
        throw ApiError(ErrorCode::oauth_invalid_id_token,
                       provider.name + " ID token rejected: " + std::string(id_token_error_name(verified.error)), provider_arg);
    }

    auto identity = identity_from(verified.claims, provider, callback.locale);
    auto [user, tokens] = co_await accounts_.sign_in_external(identity, client);
    OAuthSignIn signed_in;
    signed_in.user = std::move(user);
    signed_in.tokens = std::move(tokens);
    signed_in.return_to = stored_text_of("return_to");
    co_return signed_in;
}

}  // namespace bijou::auth
