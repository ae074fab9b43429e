#pragma once

#include <openssl/evp.h>

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bijou::auth {

// A public signing key from a provider's JWK Set (RFC 7517), pinned to the one JWS
// algorithm its type allows: RS256 for an RSA key of at least 2048 bits, ES256 for a
// P-256 key. Nothing else is accepted, so "none" and HMAC algorithms never verify.
class PublicJwk {
public:
    // Builds the key from one JWK. Returns nullopt, with the reason in `reason`, for
    // another key type or curve, a "use" other than "sig", an "alg" that does not match
    // the key type, or malformed members.
    static std::optional<PublicJwk> from_json(const boost::json::value& jwk, std::string* reason = nullptr);

    // The "kid" member; empty when the JWK has none.
    const std::string& kid() const { return kid_; }
    // "RS256" or "ES256".
    const std::string& algorithm() const { return algorithm_; }

    // Checks a JWS signature over `signing_input` (the first two segments of a compact
    // JWS). For ES256 the signature is the 64-byte R || S form of RFC 7518 section 3.4.
    bool verify(std::string_view signing_input, std::string_view signature) const;

private:
    std::string kid_;
    std::string algorithm_;
    std::shared_ptr<EVP_PKEY> key_;
};

// Reads the usable signing keys of a JWK Set document ({"keys": [...]}) and skips the
// rest, such as encryption keys. Returns an empty list for a malformed document.
std::vector<PublicJwk> parse_jwks(const boost::json::value& document);

}  // namespace bijou::auth
