#pragma once

#include "core/config.hpp"
#include "db/pool.hpp"
#include "jobs/worker.hpp"
#include "mail/sender.hpp"

namespace bijou::orders {

// Registers mail.order_paid and mail.order_shipped, sent to the order's contact e-mail in
// the order's language.
void add_mail_jobs(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config);

}  // namespace bijou::orders
