#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.hpp"

namespace bijou::auth {

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
