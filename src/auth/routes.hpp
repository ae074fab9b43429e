#pragma once

#include "auth/keys.hpp"
#include "auth/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Registers /.well-known/jwks.json, the customer /v1/auth endpoints and /v1/me.
void add_routes(http::Pipeline& pipeline, KeyStore& keys, AccountService& accounts, const Config& config);

}  // namespace bijou::auth
