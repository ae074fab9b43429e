#pragma once

#include "auth/email_flows.hpp"
#include "auth/keys.hpp"
#include "auth/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Registers /.well-known/jwks.json, the customer /v1/auth endpoints (the e-mailed flows
// included) and /v1/me.
void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, EmailFlows& flows,
                const Config& config);

}  // namespace bijou::auth
