#include "orders/mail_jobs.hpp"

#include <boost/json.hpp>

#include "core/money.hpp"
#include "mail/template.hpp"
#include "orders_sql.hpp"

namespace bijou::orders {

namespace {

const db::Statement kOrderMail{"orders.order_mail", sql::k_order_mail};

boost::asio::awaitable<void> send_order_mail(db::Pool& pool, mail::Sender& sender, const Config& config,
                                             const jobs::Job& job, std::string_view template_name) {
    auto order_id = jobs::payload_string(job, "order_id", true);
    db::Params params{order_id};
    auto rows = co_await pool.query(kOrderMail, params);
    if (rows.rows() == 0) co_return;
    std::map<std::string, std::string> values{
        {"number", std::string(rows.text(0, 0))},
        {"name", std::string(rows.text(0, 2))},
        {"total", Money(rows.int64(0, 4)).format_brl()},
        {"tracking_code", std::string(rows.optional_text(0, 5).value_or(""))},
        {"link", config.mail.link_base_url + "/pedidos/" + order_id}};
    mail::Address to{std::string(rows.text(0, 1)), std::string(rows.text(0, 2))};
    auto message = mail::compose(config.mail, to, mail::render(template_name, rows.text(0, 3), values));
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
