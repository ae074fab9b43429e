#include "admin/mail_jobs.hpp"

#include <boost/json.hpp>

#include "admin_sql.hpp"
#include "core/ids.hpp"
#include "mail/template.hpp"

namespace bijou::admin {

namespace json = boost::json;

namespace {
const db::Statement kAdminMailRecipient{"admin.admin_mail_recipient", sql::k_admin_mail_recipient};
}  // namespace

void add_mail_jobs(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config) {
    worker.handle("mail.admin_locked", [&pool, &sender, &config](const jobs::Job& job) -> boost::asio::awaitable<void> {
        json::value payload;
        try {
            payload = json::parse(job.payload);
        } catch (const std::exception&) {
            throw jobs::PermanentFailure("payload is not JSON");
        }
        const auto* object = payload.if_object();
        const auto* id = object ? object->if_contains("admin_id") : nullptr;
        if (!id || !id->is_string() || !Uuid::parse(id->as_string())) throw jobs::PermanentFailure("payload lacks admin_id");
        db::Params params{std::string(id->as_string())};
        auto rows = co_await pool.query(kAdminMailRecipient, params);
        // A lock that ended before the job ran is not worth an alarm.
        if (rows.rows() == 0) co_return;
        std::map<std::string, std::string> values{{"name", std::string(rows.text(0, 1))},
                                                  {"until", std::string(rows.text(0, 2))},
                                                  {"minutes", std::to_string(rows.int64(0, 3))}};
        mail::Message message;
        message.from = {config.mail.from_address, config.mail.from_name};
        message.to = {std::string(rows.text(0, 0)), std::string(rows.text(0, 1))};
        message.content = mail::render("admin_locked", "pt-BR", values);
        message.id_domain = config.mail.from_address.substr(config.mail.from_address.find('@') + 1);
        co_await sender.send(message);
    });
}

}  // namespace bijou::admin
