#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.hpp"
#include "core/config.hpp"

namespace bijou::auth {

// The cookie that ties a social-login callback to the browser that started the login.
inline constexpr std::string_view kBindingCookie = "bijou_oauth";
inline constexpr std::string_view kBindingCookiePath = "/v1/auth/oauth";

// Builds the Set-Cookie value of the binding cookie for a provider's response mode.
// A query-mode provider brings the browser back with a cross-site top-level GET, which
// carries SameSite=Lax cookies but not Strict ones, so Lax is enough. A form_post
// provider comes back with a cross-site POST, which carries only SameSite=None cookies,
// and browsers store None only together with Secure. So form_post gets "SameSite=None;
// Secure" when `cookie_secure` is true and falls back to Lax when it is false (the local
// stack). Lax still reaches a form_post callback from a provider on the same site, such
// as one on 127.0.0.1 on another port, because the port is not part of a site.
std::string binding_cookie(std::string_view value, std::chrono::seconds max_age, OAuthResponseMode mode,
                           bool cookie_secure);

// Reads the `email_verified` claim. OpenID Connect Core 1.0 section 5.1 defines a boolean,
// but Sign in with Apple documents it as a boolean or the string "true" or "false". So
// true and "true" mean verified, and anything else, or no claim, means unverified.
bool email_verified_claim(const boost::json::object& claims);

// Derives the PKCE code challenge of a code verifier with the S256 method (RFC 7636
// section 4.2): BASE64URL(SHA-256(ASCII(verifier))) without padding.
std::string pkce_s256_challenge(std::string_view verifier);

// Reason an ID token was rejected.
enum class IdTokenError {
    none,
    malformed,
    unsupported_algorithm,
    unknown_key,
    bad_signature,
    wrong_issuer,
    wrong_audience,
    wrong_authorized_party,
    expired,
    issued_in_future,
    // No `iat`, or no `sub` string of 1 to 255 characters.
    missing_claim,
    wrong_nonce,
};

std::string_view id_token_error_name(IdTokenError error);

// Values an ID token must match (OpenID Connect Core 1.0 section 3.1.3.7).
struct IdTokenExpectations {
    std::string issuer;
    std::string client_id;
    std::string nonce;
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    // Allowed clock difference with the provider for `exp` and `iat`.
    std::chrono::seconds leeway{60};
};

struct VerifiedIdToken {
    IdTokenError error = IdTokenError::none;
    // The claims. Empty unless `error` is IdTokenError::none.
    boost::json::object claims;
};

// Verifies a compact JWS ID token against a provider's keys. The header's `alg` must be
// the algorithm of the key that `kid` names (or of the only key when the header has no
// `kid`), so "none", HMAC and a swapped algorithm are rejected before any signature check.
// Then `iss` must equal the issuer and `aud` must contain the client id. An `azp`, when
// present, must be the client id. Within the leeway, `exp` must be in the future and `iat`
// must not be. `sub` must be a string of 1 to 255 characters, and `nonce` must equal the
// one stored when the login started.
VerifiedIdToken verify_id_token(std::string_view token, const std::vector<PublicJwk>& keys,
                                const IdTokenExpectations& expected);

}  // namespace bijou::auth
