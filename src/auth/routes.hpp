#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/email_flows.hpp"
#include "auth/keys.hpp"

#include <functional>
#include "auth/service.hpp"
#include "http/json_body.hpp"
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
// Adds a field error on "password" for a new password the policy rejects (too short, too
// long or too common). Does nothing for an absent password.
void check_password_field(http::BodyReader& body, const std::optional<std::string>& password);

// Called after a login or registration that carried X-Cart-Token, with the user id and the
// guest cart token, to merge the guest cart into the customer's.
using CartMerge = std::function<boost::asio::awaitable<void>(const std::string& user_id, const std::string& guest_token)>;

void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, EmailFlows& flows,
                const Config& config, CartMerge merge_cart);

}  // namespace bijou::auth
