#include "admin/mail_jobs.hpp"

#include <boost/json.hpp>

#include "admin_sql.hpp"
#include "mail/template.hpp"

namespace bijou::admin {

namespace {
const db::Statement kAdminMailRecipient{"admin.admin_mail_recipient", sql::k_admin_mail_recipient};
}  // namespace

void add_mail_jobs(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config) {
    worker.handle("mail.admin_locked", [&pool, &sender, &config](const jobs::Job& job) -> boost::asio::awaitable<void> {
        auto admin_id = jobs::payload_string(job, "admin_id", true);
        db::Params params{admin_id};
        auto rows = co_await pool.query(kAdminMailRecipient, params);
        // A lock that ended before the job ran is not worth an alarm.
        if (rows.rows() == 0) co_return;
        std::map<std::string, std::string> values{{"name", std::string(rows.text(0, 1))},
                                                  {"until", std::string(rows.text(0, 2))},
                                                  {"minutes", std::to_string(rows.int64(0, 3))}};
        mail::Address to{std::string(rows.text(0, 0)), std::string(rows.text(0, 1))};
        auto message = mail::compose(config.mail, to, mail::render("admin_locked", "pt-BR", values));
        co_await sender.send(message);
    });
}

}  // namespace bijou::admin
