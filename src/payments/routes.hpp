#pragma once

#include "core/config.hpp"
#include "db/pool.hpp"
#include "http/pipeline.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Registers POST /v1/webhooks/payments/{provider} for the configured provider and, with the
// sandbox provider only, POST /v1/sandbox/payments/{id}/approve and /decline.
void add_routes(http::Pipeline& pipeline, Provider& provider, db::Pool& pool, const Config& config);

}  // namespace bijou::payments
