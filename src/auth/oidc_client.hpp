#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "auth/jwk.hpp"
#include "auth/oauth.hpp"
#include "core/config.hpp"
#include "net/http_fetch.hpp"

namespace bijou::auth {

// The endpoints of a provider's discovery document (OpenID Connect Discovery 1.0).
struct ProviderMetadata {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    // True when the provider accepts only client_secret_post; otherwise the client
    // authenticates with HTTP Basic (client_secret_basic), the default of RFC 6749.
    bool secret_in_body = false;
};

// One configured OpenID Connect provider: its discovery document, its signing keys and
// its token endpoint. Discovery and keys are cached for an hour. An ID token signed with
// an unknown `kid` makes it refetch the keys, at most once a minute, so a key rotation at
// the provider is picked up while forged tokens cannot cause a fetch each. Each I/O
// thread has its own instance, which takes no locks, so use it only from its io_context.
class OidcClient {
public:
    OidcClient(const OAuthProviderConfig& provider, net::HttpFetcher& fetcher, const Config& config);

    const OAuthProviderConfig& provider() const { return provider_; }

    // Returns the provider's endpoints. Throws ApiError(oauth_provider_unavailable) when
    // discovery fails, names another issuer, or lacks an endpoint; in production also when
    // an endpoint is not https.
    boost::asio::awaitable<std::shared_ptr<const ProviderMetadata>> metadata();

    // Redeems an authorization code at the token endpoint with the client secret and the
    // PKCE verifier, and returns the ID token. Throws ApiError(oauth_code_rejected) when
    // the provider returns invalid_grant, and ApiError(oauth_provider_unavailable) for any
    // other failure.
    boost::asio::awaitable<std::string> exchange_code(const std::string& code, const std::string& code_verifier,
                                                      const std::string& redirect_uri);

    // Verifies an ID token against the provider's keys (see verify_id_token).
    boost::asio::awaitable<VerifiedIdToken> verify(const std::string& id_token, const std::string& nonce);

private:
    using Clock = std::chrono::steady_clock;

    boost::asio::awaitable<boost::json::value> fetch_json(const net::FetchRequest& request, std::string_view document_name);
    boost::asio::awaitable<std::shared_ptr<const std::vector<PublicJwk>>> signing_keys(bool after_unknown_kid);

    OAuthProviderConfig provider_;
    net::HttpFetcher& fetcher_;
    const Config& config_;
    std::shared_ptr<const ProviderMetadata> metadata_;
    Clock::time_point metadata_fetched_at_;
    std::shared_ptr<const std::vector<PublicJwk>> keys_;
    Clock::time_point keys_fetched_at_;
};

}  // namespace bijou::auth
