#include "auth/tokens.hpp"

#include <sodium.h>

#include <boost/json/serialize.hpp>

#include "core/error.hpp"

namespace bijou::auth {

std::string random_token() {
    std::string bytes(32, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return base64url_encode(bytes);
}

boost::asio::awaitable<std::string> issue_access_token(KeyStore& keys, const Config& config, std::string_view audience,
                                                       const std::string& subject, const std::string& session_id,
                                                       const boost::json::object& extra) {
    auto ring = co_await keys.current();
    if (!ring->signer) {
        throw ApiError(ErrorCode::service_unavailable, "no active signing key. Run `bijou keys ensure` to create one");
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    boost::json::object header{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", ring->signer->kid}};
    boost::json::object claims{
        {"iss", config.auth.issuer},
        {"aud", audience},
        {"sub", subject},
        {"sid", session_id},
        {"iat", now.count()},
        {"exp", (now + config.auth.access_token_ttl).count()},
        {"jti", random_token()},
    };
    for (const auto& [key, value] : extra) claims[key] = value;
    co_return sign_compact(boost::json::serialize(header), boost::json::serialize(claims), ring->signer->key);
}

}  // namespace bijou::auth
