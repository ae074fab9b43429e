#pragma once

#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bijou::auth {

std::string base64url_encode(std::string_view bytes);
// Decodes unpadded base64url; nullopt on any other character or a bad length.
std::optional<std::string> base64url_decode(std::string_view text);

// An Ed25519 key for EdDSA JWS (RFC 8037). The algorithm is pinned to the key: a token
// verifies with this key only when its header says "EdDSA".
class Ed25519Key {
public:
    // Builds a key from raw bytes: the 32-byte private seed (`d` in a JWK), or only the
    // 32-byte public key (`x`). Throws std::invalid_argument on a wrong length.
    static Ed25519Key from_private(std::string_view seed);
    static Ed25519Key from_public(std::string_view public_key);
    static Ed25519Key generate();

    bool has_private() const { return has_private_; }
    // The raw 32-byte public key.
    std::string public_bytes() const;
    // The raw 32-byte private seed; throws std::logic_error for a public-only key.
    std::string private_bytes() const;

    std::string sign(std::string_view message) const;
    bool verify(std::string_view message, std::string_view signature) const;

private:
    std::shared_ptr<EVP_PKEY> key_;
    bool has_private_ = false;
};

// Signs `payload` under the protected header `header_json` and returns the compact JWS.
std::string sign_compact(std::string_view header_json, std::string_view payload, const Ed25519Key& key);

// Checks a compact JWS's Ed25519 signature over its first two segments. Does not look at
// the header's algorithm or any claim: verify_token does.
bool verify_compact_signature(std::string_view token, const Ed25519Key& key);

// Reason a token was rejected. Every value means 401 to the client.
enum class TokenError {
    none,
    malformed,
    unsupported_algorithm,
    unknown_key,
    bad_signature,
    wrong_type,
    wrong_issuer,
    wrong_audience,
    expired,
    not_yet_valid,
};

std::string_view token_error_name(TokenError error);

// A verification key with its id and pinned algorithm.
struct VerificationKey {
    std::string kid;
    Ed25519Key key;
};

// Requirements a token must meet to be accepted.
struct TokenExpectations {
    std::string issuer;
    std::string audience;
    std::string type = "at+jwt";
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::chrono::seconds leeway{30};
};

struct VerifiedToken {
    TokenError error = TokenError::none;
    boost::json::object claims;
};

// Verifies a compact JWS access token. The header's `alg` must be "EdDSA" (never "none" or
// HMAC) and its `kid` must name one of `keys`. Then the signature must verify, `typ`,
// `iss` and `aud` must match, and `exp` (required) and `nbf` (optional) must hold at `now`
// within the leeway.
VerifiedToken verify_token(std::string_view token, const std::vector<VerificationKey>& keys,
                           const TokenExpectations& expected);

}  // namespace bijou::auth
