#include "auth/jwt.hpp"

#include <openssl/err.h>
#include <sodium.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace bijou::auth {

namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;

std::shared_ptr<EVP_PKEY> wrap(EVP_PKEY* key) {
    if (key == nullptr) throw std::invalid_argument("invalid Ed25519 key");
    return {key, &EVP_PKEY_free};
}

struct DigestContext {
    DigestContext() : context(EVP_MD_CTX_new()) {
        if (context == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
    }
    ~DigestContext() { EVP_MD_CTX_free(context); }
    DigestContext(const DigestContext&) = delete;
    DigestContext& operator=(const DigestContext&) = delete;
    EVP_MD_CTX* context;
};

std::optional<boost::json::object> parse_object(std::string_view text) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return value.as_object();
}

// Reads a NumericDate claim. Returns nullopt when it is absent or not an integer.
std::optional<std::int64_t> numeric_date(const boost::json::object& claims, std::string_view name) {
    const auto* value = claims.if_contains(name);
    if (value == nullptr) return std::nullopt;
    if (value->is_int64()) return value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(value->as_uint64());
    }
    return std::nullopt;
}

bool audience_matches(const boost::json::value* audience, std::string_view expected) {
    if (audience == nullptr) return false;
    if (audience->is_string()) return audience->as_string() == expected;
    if (!audience->is_array()) return false;
    for (const auto& entry : audience->as_array()) {
        if (entry.is_string() && entry.as_string() == expected) return true;
    }
    return false;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

Ed25519Key Ed25519Key::from_private(std::string_view seed) {
    if (seed.size() != kKeyBytes) throw std::invalid_argument("an Ed25519 private key has 32 bytes");
    Ed25519Key key;
    key.key_ = wrap(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                 reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
    key.has_private_ = true;
    return key;
}

Ed25519Key Ed25519Key::from_public(std::string_view public_key) {
    if (public_key.size() != kKeyBytes) throw std::invalid_argument("an Ed25519 public key has 32 bytes");
    Ed25519Key key;
    key.key_ = wrap(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char*>(public_key.data()),
                                                public_key.size()));
    return key;
}

Ed25519Key Ed25519Key::generate() {
    std::string seed(kKeyBytes, '\0');
    randombytes_buf(seed.data(), seed.size());
    auto key = from_private(seed);
    sodium_memzero(seed.data(), seed.size());
    return key;
}

std::string Ed25519Key::public_bytes() const {
    std::string out(kKeyBytes, '\0');
    std::size_t length = out.size();
    if (EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(out.data()), &length) != 1) {
        throw std::runtime_error("cannot read the Ed25519 public key");
    }
    return out;
}

std::string Ed25519Key::private_bytes() const {
    if (!has_private_) throw std::logic_error("cannot export the private part of a public-only Ed25519 key");
    std::string out(kKeyBytes, '\0');
    std::size_t length = out.size();
    if (EVP_PKEY_get_raw_private_key(key_.get(), reinterpret_cast<unsigned char*>(out.data()), &length) != 1) {
        throw std::runtime_error("cannot read the Ed25519 private key");
    }
    return out;
}

std::string Ed25519Key::sign(std::string_view message) const {
    if (!has_private_) throw std::logic_error("cannot sign with a public-only Ed25519 key");
    DigestContext digest;
    std::string signature(kSignatureBytes, '\0');
    std::size_t length = signature.size();
    if (EVP_DigestSignInit(digest.context, nullptr, nullptr, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(digest.context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
        throw std::runtime_error("Ed25519 signing failed");
    }
    return signature;
}

bool Ed25519Key::verify(std::string_view message, std::string_view signature) const {
    if (signature.size() != kSignatureBytes) return false;
    DigestContext digest;
    if (EVP_DigestVerifyInit(digest.context, nullptr, nullptr, nullptr, key_.get()) != 1) return false;
    bool valid = EVP_DigestVerify(digest.context, reinterpret_cast<const unsigned char*>(signature.data()),
                                  signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size()) == 1;
    ERR_clear_error();
    return valid;
}

std::string sign_compact(std::string_view header_json, std::string_view payload, const Ed25519Key& key) {
    std::string signing_input = base64url_encode(header_json) + "." + base64url_encode(payload);
    return signing_input + "." + base64url_encode(key.sign(signing_input));
}

bool verify_compact_signature(std::string_view token, const Ed25519Key& key) {
    auto last_dot = token.rfind('.');
    if (last_dot == std::string_view::npos) return false;
    auto signature = base64url_decode(token.substr(last_dot + 1));
    return signature && key.verify(token.substr(0, last_dot), *signature);
}

std::string_view token_error_name(TokenError error) {
    switch (error) {
        case TokenError::none: return "none";
        case TokenError::malformed: return "malformed";
        case TokenError::unsupported_algorithm: return "unsupported_algorithm";
        case TokenError::unknown_key: return "unknown_key";
        case TokenError::bad_signature: return "bad_signature";
        case TokenError::wrong_type: return "wrong_type";
        case TokenError::wrong_issuer: return "wrong_issuer";
        case TokenError::wrong_audience: return "wrong_audience";
        case TokenError::expired: return "expired";
        case TokenError::not_yet_valid: return "not_yet_valid";
    }
    return "malformed";
}

VerifiedToken verify_token(std::string_view token, const std::vector<VerificationKey>& keys,
                           const TokenExpectations& expected) {
    // Bounds the work an attacker can cause before the signature check.
    constexpr std::size_t kMaxTokenBytes = 8 * 1024;
    if (token.size() > kMaxTokenBytes) return {TokenError::malformed, {}};

    auto first_dot = token.find('.');
    auto last_dot = token.rfind('.');
    if (first_dot == std::string_view::npos || first_dot == last_dot ||
        token.find('.', first_dot + 1) != last_dot) {
        return {TokenError::malformed, {}};
    }
    auto header_text = base64url_decode(token.substr(0, first_dot));
    auto payload_text = base64url_decode(token.substr(first_dot + 1, last_dot - first_dot - 1));
    if (!header_text || !payload_text) return {TokenError::malformed, {}};
    auto header = parse_object(*header_text);
    auto claims = parse_object(*payload_text);
    if (!header || !claims) return {TokenError::malformed, {}};

    // Only EdDSA is accepted, so "none" and HMAC tokens keyed with the public key
    // (algorithm confusion) never reach a verifier.
    const auto* algorithm = header->if_contains("alg");
    if (algorithm == nullptr || !algorithm->is_string() || algorithm->as_string() != "EdDSA") {
        return {TokenError::unsupported_algorithm, {}};
    }
    const auto* kid = header->if_contains("kid");
    if (kid == nullptr || !kid->is_string()) return {TokenError::unknown_key, {}};
    const VerificationKey* key = nullptr;
    for (const auto& candidate : keys) {
        if (candidate.kid == kid->as_string()) key = &candidate;
    }
    if (key == nullptr) return {TokenError::unknown_key, {}};
    if (!verify_compact_signature(token, key->key)) return {TokenError::bad_signature, {}};

    const auto* type = header->if_contains("typ");
    if (type == nullptr || !type->is_string() || type->as_string() != expected.type) return {TokenError::wrong_type, {}};
    const auto* issuer = claims->if_contains("iss");
    if (issuer == nullptr || !issuer->is_string() || issuer->as_string() != expected.issuer) {
        return {TokenError::wrong_issuer, {}};
    }
    if (!audience_matches(claims->if_contains("aud"), expected.audience)) return {TokenError::wrong_audience, {}};

    auto now = std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
    auto expires = numeric_date(*claims, "exp");
    if (!expires || now - expected.leeway.count() >= *expires) return {TokenError::expired, {}};
    if (claims->contains("nbf")) {
        auto not_before = numeric_date(*claims, "nbf");
        if (!not_before || now + expected.leeway.count() < *not_before) return {TokenError::not_yet_valid, {}};
    }
    return {TokenError::none, std::move(*claims)};
}

}  // namespace bijou::auth
