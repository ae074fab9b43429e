#pragma once

#include "core/config.hpp"
#include "db/pool.hpp"
#include "jobs/worker.hpp"
#include "payments/http_client.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Registers the worker's payment jobs:
//  - payments.event: applies a verified webhook to its payment and order. An event that
//    names a payment not known yet (the webhook outran the checkout response) fails and is
//    retried with backoff until the payment exists.
//  - sandbox.webhook: sends the signed webhook of a sandbox payment settled through the
//    sandbox endpoints, to this deployment's own webhook URL.
//  - every checkout.expiry_sweep_ms: expires unpaid orders whose reservation ran out.
void add_payment_jobs(jobs::Worker& worker, db::Pool& pool, Provider& provider, ApiClient& client, const Config& config);

}  // namespace bijou::payments
