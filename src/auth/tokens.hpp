#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "auth/keys.hpp"
#include "core/config.hpp"

namespace bijou::auth {

// Signs an access token for `subject` in `session_id` with the active key: EdDSA, typ
// at+jwt, iss, aud, sub, sid, iat, exp (auth.access_token_ttl_s) and a random jti, plus
// `extra` claims. Throws ApiError(service_unavailable) when no signing key is active.
boost::asio::awaitable<std::string> issue_access_token(KeyStore& keys, const Config& config, std::string_view audience,
                                                       const std::string& subject, const std::string& session_id,
                                                       const boost::json::object& extra = {});

// A random 256-bit token in base64url, for refresh tokens and token ids.
std::string random_token();

}  // namespace bijou::auth
