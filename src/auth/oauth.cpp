#include "auth/oauth.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>

#include "auth/jwt.hpp"

namespace bijou::auth {

namespace {

// Bounds the work a hostile token can cause before the signature check.
constexpr std::size_t kMaxIdTokenBytes = 16 * 1024;

std::optional<boost::json::object> parse_object(std::string_view text) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.as_object());
}

std::optional<std::int64_t> numeric_date(const boost::json::object& claims, std::string_view name) {
    const auto* value = claims.if_contains(name);
    if (value == nullptr) return std::nullopt;
    if (value->is_int64()) return value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(value->as_uint64());
    }
    // Some providers send NumericDate with a fraction, which RFC 7519 allows.
    if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
    return std::nullopt;
}

bool string_claim_equals(const boost::json::object& claims, std::string_view name, std::string_view expected) {
    const auto* value = claims.if_contains(name);
    return value != nullptr && value->is_string() && value->as_string() == expected;
}

bool audience_contains(const boost::json::value* audience, std::string_view client_id) {
    if (audience == nullptr) return false;
    if (audience->is_string()) return audience->as_string() == client_id;
    if (!audience->is_array()) return false;
    for (const auto& entry : audience->as_array()) {
        if (entry.is_string() && entry.as_string() == client_id) return true;
    }
    return false;
}

const PublicJwk* select_key(const boost::json::object& header, const std::vector<PublicJwk>& keys) {
    const auto* kid = header.if_contains("kid");
    if (kid != nullptr) {
        if (!kid->is_string()) return nullptr;
        for (const auto& key : keys) {
            if (key.kid() == kid->as_string()) return &key;
        }
        return nullptr;
    }
    // Without a kid the choice is unambiguous only when the set has one key.
    return keys.size() == 1 ? &keys.front() : nullptr;
}

}  // namespace

std::string pkce_s256_challenge(std::string_view verifier) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size());
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string binding_cookie(std::string_view value, std::chrono::seconds max_age, OAuthResponseMode mode,
                           bool cookie_secure) {
    bool cross_site_post = mode == OAuthResponseMode::form_post && cookie_secure;
    std::string text = std::string(kBindingCookie) + "=" + std::string(value) + "; Path=" + std::string(kBindingCookiePath) +
                       "; Max-Age=" + std::to_string(max_age.count()) +
                       (cross_site_post ? "; SameSite=None" : "; SameSite=Lax") + "; HttpOnly";
    if (cookie_secure) text += "; Secure";
    return text;
}

bool email_verified_claim(const boost::json::object& claims) {
    const auto* verified = claims.if_contains("email_verified");
    if (verified == nullptr) return false;
    if (verified->is_bool()) return verified->as_bool();
    return verified->is_string() && verified->as_string() == "true";
}

std::string_view id_token_error_name(IdTokenError error) {
    switch (error) {
        case IdTokenError::none: return "none";
        case IdTokenError::malformed: return "malformed";
        case IdTokenError::unsupported_algorithm: return "unsupported_algorithm";
        case IdTokenError::unknown_key: return "unknown_key";
        case IdTokenError::bad_signature: return "bad_signature";
        case IdTokenError::wrong_issuer: return "wrong_issuer";
        case IdTokenError::wrong_audience: return "wrong_audience";
        case IdTokenError::wrong_authorized_party: return "wrong_authorized_party";
        case IdTokenError::expired: return "expired";
        case IdTokenError::issued_in_future: return "issued_in_future";
        case IdTokenError::missing_claim: return "missing_claim";
        case IdTokenError::wrong_nonce: return "wrong_nonce";
    }
    return "malformed";
}

VerifiedIdToken verify_id_token(std::string_view token, const std::vector<PublicJwk>& keys,
                                const IdTokenExpectations& expected) {
    if (token.size() > kMaxIdTokenBytes) return {IdTokenError::malformed, {}};
    auto first_dot = token.find('.');
    auto last_dot = token.rfind('.');
    if (first_dot == std::string_view::npos || first_dot == last_dot || token.find('.', first_dot + 1) != last_dot) {
        return {IdTokenError::malformed, {}};
    }
    auto header_text = base64url_decode(token.substr(0, first_dot));
    auto claims_text = base64url_decode(token.substr(first_dot + 1, last_dot - first_dot - 1));
    auto signature = base64url_decode(token.substr(last_dot + 1));
    if (!header_text || !claims_text || !signature) return {IdTokenError::malformed, {}};
    auto header = parse_object(*header_text);
    auto claims = parse_object(*claims_text);
    if (!header || !claims) return {IdTokenError::malformed, {}};

    const auto* algorithm = header->if_contains("alg");
    if (algorithm == nullptr || !algorithm->is_string() ||
        (algorithm->as_string() != "RS256" && algorithm->as_string() != "ES256")) {
        return {IdTokenError::unsupported_algorithm, {}};
    }
    const auto* key = select_key(*header, keys);
    if (key == nullptr) return {IdTokenError::unknown_key, {}};
    // The key decides the algorithm: an RSA key never checks an ES256 header, and the
    // other way round.
    if (key->algorithm() != algorithm->as_string()) return {IdTokenError::unsupported_algorithm, {}};
    if (!key->verify(token.substr(0, last_dot), *signature)) return {IdTokenError::bad_signature, {}};

    if (!string_claim_equals(*claims, "iss", expected.issuer)) return {IdTokenError::wrong_issuer, {}};
    if (!audience_contains(claims->if_contains("aud"), expected.client_id)) return {IdTokenError::wrong_audience, {}};
    if (claims->contains("azp") && !string_claim_equals(*claims, "azp", expected.client_id)) {
        return {IdTokenError::wrong_authorized_party, {}};
    }

    auto now = std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
    auto expires = numeric_date(*claims, "exp");
    if (!expires || now - expected.leeway.count() >= *expires) return {IdTokenError::expired, {}};
    auto issued = numeric_date(*claims, "iat");
    if (!issued) return {IdTokenError::missing_claim, {}};
    if (*issued > now + expected.leeway.count()) return {IdTokenError::issued_in_future, {}};

    const auto* subject = claims->if_contains("sub");
    if (subject == nullptr || !subject->is_string() || subject->as_string().empty() ||
        subject->as_string().size() > 255) {
        return {IdTokenError::missing_claim, {}};
    }
    const auto* nonce = claims->if_contains("nonce");
    if (nonce == nullptr || !nonce->is_string() || expected.nonce.empty() ||
        nonce->as_string().size() != expected.nonce.size() ||
        sodium_memcmp(nonce->as_string().data(), expected.nonce.data(), expected.nonce.size()) != 0) {
        return {IdTokenError::wrong_nonce, {}};
    }
    return {IdTokenError::none, std::move(*claims)};
}

}  // namespace bijou::auth
