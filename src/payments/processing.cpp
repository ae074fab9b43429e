#include "payments/processing.hpp"

#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "jobs/outbox.hpp"
#include "orders/stock.hpp"
#include "orders_sql.hpp"
#include "payments_sql.hpp"

namespace bijou::payments {

namespace json = boost::json;
using orders::Shortfall;

namespace {

const db::Statement kLockOrderOfPayment{"payments.lock_order_of_payment", sql::k_lock_order_of_payment};
const db::Statement kLockPayment{"payments.lock_payment", sql::k_lock_payment};
const db::Statement kRecordCharge{"payments.record_charge", sql::k_record_charge};
const db::Statement kRecordProviderId{"payments.record_provider_id", sql::k_record_provider_id};
const db::Statement kApprovePayment{"payments.approve_payment", sql::k_approve_payment};
const db::Statement kDeclinePayment{"payments.decline_payment", sql::k_decline_payment};
const db::Statement kOpenPayments{"payments.open_payments", sql::k_open_payments};
const db::Statement kSetOrderStatus{"orders.set_order_status", orders::sql::k_set_order_status};
const db::Statement kExpireOrders{"orders.expire_orders", orders::sql::k_expire_orders};
const db::Statement kSetPaymentsStatus{"orders.set_payments_status", orders::sql::k_set_payments_status};

boost::asio::awaitable<void> set_order_status(db::Connection& connection, const std::string& order_id,
                                              const std::string& status) {
    db::Params params{order_id, status, std::nullopt};
    co_await connection.execute(kSetOrderStatus, params);
}

boost::asio::awaitable<void> queue_paid_mail(db::Connection& connection, const std::string& order_id) {
    json::object payload{{"order_id", order_id}};
    std::optional<std::string> dedupe = "mail.order_paid:" + order_id;
    co_await jobs::enqueue(connection, "mail.order_paid", payload, dedupe);
}

boost::asio::awaitable<void> approve(db::Connection& connection, const std::string& payment_id,
                                     const std::string& order_id, const std::string& order_status) {
    db::Params payment{payment_id};
    co_await connection.execute(kApprovePayment, payment);

    if (order_status == "pending_payment") {
        co_await orders::keep(connection, order_id);
        co_await set_order_status(connection, order_id, "paid");
        co_await queue_paid_mail(connection, order_id);
        log::info("order paid", {{"order_id", order_id}, {"payment_id", payment_id}});
        co_return;
    }
    if (order_status == "expired" || order_status == "payment_failed" || order_status == "cancelled") {
        // The money arrived after the order gave its stock back: take it again if it is
        // still there, else the customer gets the money back. An order that someone
        // cancelled stays cancelled in spirit: its money goes back too.
        std::optional<Shortfall> shortfall;
        if (order_status != "cancelled") {
            std::optional<std::string> no_expiry;
            shortfall = co_await orders::reserve(connection, order_id, no_expiry);
        }
        std::string outcome = order_status == "cancelled" || shortfall ? "refund_pending" : "paid";
        co_await set_order_status(connection, order_id, outcome);
        if (outcome == "paid") co_await queue_paid_mail(connection, order_id);
        json::object after{{"status", outcome}, {"payment_id", payment_id}};
        if (shortfall) after["missing_inventory_id"] = shortfall->inventory_id;
        json::object before{{"status", order_status}};
        audit::Entry entry{"system", std::nullopt, std::nullopt, "order.late_payment", "order", order_id,
                           json::serialize(before), json::serialize(after), std::nullopt, std::nullopt};
        co_await audit::write(connection, entry);
        log::warn("payment arrived after the order lost its reservation",
                  {{"order_id", order_id}, {"payment_id", payment_id}, {"outcome", outcome}});
        co_return;
    }
    // A second approved payment for an order that is already paid: the money must go back.
    json::object after{{"payment_id", payment_id}, {"order_status", order_status}};
    audit::Entry entry{"system", std::nullopt, std::nullopt, "payment.duplicate_capture", "payment", payment_id,
                       std::nullopt, json::serialize(after), std::nullopt, std::nullopt};
    co_await audit::write(connection, entry);
    log::warn("second approved payment for one order; refund it", {{"order_id", order_id}, {"payment_id", payment_id}});
}

}  // namespace

boost::asio::awaitable<void> apply_status(db::Connection& connection, const std::string& payment_id,
                                          ChargeStatus status, const std::string& failure_reason) {
    db::Params lock{payment_id};
    co_await connection.execute(kLockOrderOfPayment, lock);
    auto rows = co_await connection.execute(kLockPayment, lock);
    if (rows.rows() == 0) throw ApiError(ErrorCode::payment_not_found, "unknown payment " + payment_id);
    std::string payment_status(rows.text(0, 0));
    std::string order_id(rows.text(0, 1));
    std::string order_status(rows.text(0, 2));

    if (status == ChargeStatus::approved) {
        // Captured once: a repeated or late approval changes nothing.
        if (payment_status == "approved" || payment_status == "refunded") co_return;
        co_await approve(connection, payment_id, order_id, order_status);
        co_return;
    }
    if (status == ChargeStatus::declined) {
        if (payment_status != "pending" && payment_status != "authorized") co_return;
        db::Params decline{payment_id, failure_reason.empty() ? std::string("declined") : failure_reason};
        co_await connection.execute(kDeclinePayment, decline);
        db::Params open{order_id, payment_id};
        auto others = co_await connection.execute(kOpenPayments, open);
        if (order_status == "pending_payment" && !others.boolean(0, 0)) {
            co_await orders::release(connection, order_id);
            co_await set_order_status(connection, order_id, "payment_failed");
            log::info("order payment failed", {{"order_id", order_id}, {"payment_id", payment_id}});
        }
    }
}

boost::asio::awaitable<void> record_charge(db::Pool& pool, const std::string& payment_id, const ChargeResult& result,
                                           const std::optional<std::string>& boleto_due_date) {
    // The provider id first and alone: webhooks find the payment by it.
    if (!result.provider_payment_id.empty()) {
        db::Params id{payment_id, result.provider_payment_id};
        co_await pool.query(kRecordProviderId, id);
    }
    co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        std::optional<std::string> pix_code, pix_expiry, barcode, line, url, due, reason;
        if (result.pix) {
            pix_code = result.pix->copy_paste;
            auto seconds = std::chrono::system_clock::to_time_t(result.pix->expires_at);
            std::tm utc{};
            gmtime_r(&seconds, &utc);
            char text[32];
            std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
            pix_expiry = text;
        }
        if (result.boleto) {
            barcode = result.boleto->barcode;
            line = result.boleto->digitable_line;
            url = result.boleto->url;
            due = boleto_due_date;
        }
        if (!result.failure_reason.empty()) reason = result.failure_reason;
        std::optional<std::string> provider_id;
        if (!result.provider_payment_id.empty()) provider_id = result.provider_payment_id;
        db::Params record{payment_id, provider_id, pix_code, pix_expiry, barcode, line, url, due, reason};
        co_await connection.execute(kRecordCharge, record);
        // A card is settled at once; Pix and boleto wait for the webhook.
        if (result.status != ChargeStatus::pending) {
            co_await apply_status(connection, payment_id, result.status, result.failure_reason);
        }
    });
}

boost::asio::awaitable<int> expire_due_orders(db::Pool& pool, int limit) {
    co_return co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<int> {
        db::Params batch{std::to_string(limit)};
        auto due = co_await connection.execute(kExpireOrders, batch);
        for (int row = 0; row < due.rows(); ++row) {
            std::string order_id(due.text(row, 0));
            co_await orders::release(connection, order_id);
            db::Params payments{order_id, std::string("pending"), std::string("expired")};
            co_await connection.execute(kSetPaymentsStatus, payments);
            co_await set_order_status(connection, order_id, "expired");
            log::info("unpaid order expired", {{"order_id", order_id}});
        }
        co_return due.rows();
    });
}

}  // namespace bijou::payments
