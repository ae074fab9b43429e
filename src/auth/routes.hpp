#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/email_flows.hpp"
#include "auth/keys.hpp"
#include "auth/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Finds a cookie's value in a Cookie header ("a=1; b=2").
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// A random token for the double-submit CSRF check of cookie requests.
std::string new_csrf_token();

// Adds the cookies of a browser session to `response`: the refresh token (HttpOnly,
// scoped to /v1/auth) and `csrf`, which the client echoes in X-CSRF-Token.
void set_session_cookies(http::Response& response, const Tokens& tokens, const std::string& csrf, const Config& config);

// Registers /.well-known/jwks.json, the customer /v1/auth endpoints (the e-mailed flows
// included) and /v1/me.
void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, EmailFlows& flows,
                const Config& config);

}  // namespace bijou::auth
