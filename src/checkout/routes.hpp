#pragma once

#include "auth/service.hpp"
#include "checkout/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::checkout {

// Registers POST /v1/checkout.
void add_routes(http::Pipeline& pipeline, Service& checkout, auth::AccountService& accounts);

}  // namespace bijou::checkout
