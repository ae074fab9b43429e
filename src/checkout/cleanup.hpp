#pragma once

#include "db/pool.hpp"
#include "jobs/worker.hpp"

namespace bijou::checkout {

// Registers the worker's hourly clean-up: expired Idempotency-Keys are deleted and carts
// left untouched past their expiry are marked abandoned.
void add_cleanup_jobs(jobs::Worker& worker, db::Pool& pool);

}  // namespace bijou::checkout
