#pragma once

#include <atomic>

#include "core/config.hpp"
#include "db/pool.hpp"
#include "http/pipeline.hpp"
#include "redis/client.hpp"

namespace bijou::ops {

// Dependencies of the operations endpoints on one I/O thread.
struct Probes {
    db::Pool& pool;
    redis::Client& redis;
    // Set when the process starts draining, so that load balancers stop routing to it.
    const std::atomic<bool>& draining;
};

// Registers /healthz, /readyz, /openapi.json and the local media files under /media/.
void add_routes(http::Pipeline& pipeline, Probes probes, const Config& config);

// The OpenAPI document converted from api/openapi.yaml to JSON, built once.
const std::string& openapi_json();

}  // namespace bijou::ops
