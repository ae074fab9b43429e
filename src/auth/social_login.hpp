#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/oidc_client.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "net/http_fetch.hpp"
#include "ratelimit/limiter.hpp"
#include "redis/client.hpp"

namespace bijou::auth {

// A social login that start() has begun.
struct OAuthStart {
    // The provider's authorization URL to redirect the browser to.
    std::string authorization_url;
    // Random value for the browser cookie that ties the callback to this browser.
    std::string browser_binding;
    // How the provider will return to the callback, which decides the cookie's SameSite.
    OAuthResponseMode response_mode = OAuthResponseMode::query;
};

// The parameters of a callback from the provider (from the query string, or from the
// form body in form_post mode), and the browser's binding cookie.
struct OAuthCallback {
    std::string provider;
    std::optional<std::string> code;
    std::optional<std::string> state;
    std::optional<std::string> error;
    // RFC 9207 `iss` parameter, sent by providers that support it.
    std::optional<std::string> issuer;
    std::optional<std::string> browser_binding;
    std::string locale = "pt-BR";
};

struct OAuthSignIn {
    boost::json::object user;
    Tokens tokens;
    // Destination of the browser: the allowed `return_to` of the start, else oauth.storefront_url.
    std::string return_to;
};

// The OAuth 2.0 authorization-code flow with PKCE (S256), `state` and `nonce` against the
// configured OpenID Connect providers. The state, nonce, code verifier and return URL live
// in Redis for oauth.state_ttl_s and are read once with GETDEL, so any replica can finish
// a login that another one started, and no callback succeeds twice. One per I/O thread.
class SocialLogin {
public:
    SocialLogin(redis::Client& redis, net::HttpFetcher& fetcher, AccountService& accounts, ratelimit::Limiter& limiter,
                const Config& config);

    // Begins a login. Throws oauth_provider_not_found for an unknown provider,
    // invalid_parameter for a `return_to` whose origin is not allowed, rate_limited past
    // the per-IP login budget, and oauth_provider_unavailable when discovery fails.
    boost::asio::awaitable<OAuthStart> start(const std::string& provider, const std::optional<std::string>& return_to,
                                             const ClientInfo& client);

    // Completes a login from the provider's callback: checks the state and the browser
    // binding, redeems the code, verifies the ID token and signs the customer in.
    boost::asio::awaitable<OAuthSignIn> finish(const OAuthCallback& callback, const ClientInfo& client);

    // The callback URL registered at every provider: {http.public_base_url}/v1/auth/oauth/{provider}/callback.
    std::string redirect_uri(std::string_view provider) const;

private:
    OidcClient& client_for(const std::string& provider);
    std::string checked_return_to(const std::optional<std::string>& return_to) const;
    boost::asio::awaitable<std::optional<std::string>> take_state(const std::string& state);

    redis::Client& redis_;
    AccountService& accounts_;
    ratelimit::Limiter& limiter_;
    const Config& config_;
    std::map<std::string, std::unique_ptr<OidcClient>, std::less<>> clients_;
};

}  // namespace bijou::auth
