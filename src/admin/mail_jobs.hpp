#pragma once

#include "core/config.hpp"
#include "db/pool.hpp"
#include "jobs/worker.hpp"
#include "mail/sender.hpp"

namespace bijou::admin {

// Registers mail.admin_locked, the notice to an admin that failed sign-ins locked the account.
// Admin e-mails are in Portuguese, the shop's language.
void add_mail_jobs(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config);

}  // namespace bijou::admin
