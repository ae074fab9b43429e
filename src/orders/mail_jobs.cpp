#include "orders/mail_jobs.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "mail/template.hpp"
#include "orders_sql.hpp"

namespace bijou::orders {

namespace json = boost::json;

namespace {

const db::Statement kOrderMail{"orders.order_mail", sql::k_order_mail};

std::string order_id_of(const jobs::Job& job) {
    json::value payload;
    try {
        payload = json::parse(job.payload);
    } catch (const std::exception&) {
        throw jobs::PermanentFailure("payload is not JSON");
    }
    const auto* object = payload.if_object();
    const auto* id = object ? object->if_contains("order_id") : nullptr;
    if (!id || !id->is_string() || !Uuid::parse(id->as_string())) throw jobs::PermanentFailure("payload lacks order_id");
    return std::string(id->as_string());
}

boost::asio::awaitable<void> send_order_mail(db::Pool& pool, mail::Sender& sender, const Config& config,
                                             const jobs::Job& job, std::string_view template_name) {
    auto order_id = order_id_of(job);
    db::Params params{order_id};
    auto rows = co_await pool.query(kOrderMail, params);
    if (rows.rows() == 0) co_return;
    std::map<std::string, std::string> values{
        {"number", std::string(rows.text(0, 0))},
        {"name", std::string(rows.text(0, 2))},
        {"total", Money(rows.int64(0, 4)).format_brl()},
        {"tracking_code", std::string(rows.optional_text(0, 5).value_or(""))},
        {"link", config.mail.link_base_url + "/pedidos/" + order_id}};
    mail::Message message;
    message.from = {config.mail.from_address, config.mail.from_name};
    message.to = {std::string(rows.text(0, 1)), std::string(rows.text(0, 2))};
    message.content = mail::render(template_name, rows.text(0, 3), values);
    message.id_domain = config.mail.from_address.substr(config.mail.from_address.find('@') + 1);
    co_await sender.send(message);
}

}  // namespace

void add_mail_jobs(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config) {
    worker.handle("mail.order_paid", [&pool, &sender, &config](const jobs::Job& job) {
        return send_order_mail(pool, sender, config, job, "order_paid");
    });
    worker.handle("mail.order_shipped", [&pool, &sender, &config](const jobs::Job& job) {
        return send_order_mail(pool, sender, config, job, "order_shipped");
    });
}

}  // namespace bijou::orders
