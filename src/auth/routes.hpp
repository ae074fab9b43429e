#pragma once

#include "auth/email_flows.hpp"
#include "auth/keys.hpp"

#include <functional>
#include "auth/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Registers /.well-known/jwks.json, the customer /v1/auth endpoints (the e-mailed flows
// included) and /v1/me.
// Called after a login or registration that carried X-Cart-Token, with the user id and the
// guest cart token, to merge the guest cart into the customer's.
using CartMerge = std::function<boost::asio::awaitable<void>(const std::string& user_id, const std::string& guest_token)>;

void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, EmailFlows& flows,
                const Config& config, CartMerge merge_cart);

}  // namespace bijou::auth
