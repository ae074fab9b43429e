#pragma once

#include "auth/keys.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Registers /.well-known/jwks.json.
void add_routes(http::Pipeline& pipeline, KeyStore& keys);

}  // namespace bijou::auth
