#include "orders/service.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "audit/audit.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "jobs/outbox.hpp"
#include "orders/state.hpp"
#include "orders/stock.hpp"
#include "orders_sql.hpp"

namespace bijou::orders {

namespace json = boost::json;

namespace {

const db::Statement kOrderJson{"orders.order_json", sql::k_order_json};
const db::Statement kListCustomerOrders{"orders.list_customer_orders", sql::k_list_customer_orders};
const db::Statement kListAdminOrders{"orders.list_admin_orders", sql::k_list_admin_orders};
const db::Statement kLockOrder{"orders.lock_order", sql::k_lock_order};
const db::Statement kSetOrderStatus{"orders.set_order_status", sql::k_set_order_status};
const db::Statement kSetPaymentsStatus{"orders.set_payments_status", sql::k_set_payments_status};
const db::Statement kRefundPayments{"orders.refund_payments", sql::k_refund_payments};

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

int limit_of(const http::QueryParams& query) {
    auto text = query.get("limit");
    if (!text) return kDefaultLimit;
    int value = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value < 1 || value > kMaxLimit) {
        throw invalid_parameter("limit", "out_of_range", {{"min", "1"}, {"max", std::to_string(kMaxLimit)}});
    }
    return value;
}

// A cursor is base64url("<created_at>|<id>") of the last row of the previous page.
std::pair<std::optional<std::string>, std::optional<std::string>> cursor_of(const http::QueryParams& query) {
    auto text = query.get("cursor");
    if (!text) return {std::nullopt, std::nullopt};
    auto decoded = auth::base64url_decode(*text);
    auto bar = decoded ? decoded->find('|') : std::string::npos;
    if (!decoded || bar == std::string::npos || bar < 20 || bar > 40 || !Uuid::parse(decoded->substr(bar + 1))) {
        throw invalid_parameter("cursor", "malformed_cursor");
    }
    return {decoded->substr(0, bar), decoded->substr(bar + 1)};
}

// An ISO 8601 date or timestamp filter; anything else is an invalid parameter.
std::optional<std::string> time_filter(const http::QueryParams& query, std::string_view name) {
    auto text = query.get(name);
    if (!text) return std::nullopt;
    bool shaped = text->size() >= 10 && text->size() <= 35 && std::isdigit(static_cast<unsigned char>((*text)[0])) &&
                  (*text)[4] == '-' && (*text)[7] == '-' &&
                  std::all_of(text->begin(), text->end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '.' || c == '+';
                  });
    if (shaped) {
        // The calendar date must exist: 2026-02-30 is refused here, not by PostgreSQL.
        int year = 0;
        unsigned month = 0;
        unsigned day = 0;
        shaped = std::sscanf(text->c_str(), "%4d-%2u-%2u", &year, &month, &day) == 3 &&
                 std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}.ok();
    }
    if (!shaped) throw invalid_parameter(std::string(name), "invalid_format");
    return text;
}

json::value next_cursor(const db::Result& rows, int count, int limit, int time_column) {
    if (rows.rows() <= limit || count == 0) return nullptr;
    auto position = std::string(rows.text(count - 1, time_column)) + "|" + std::string(rows.text(count - 1, 0));
    return json::string(auth::base64url_encode(position));
}

}  // namespace

boost::asio::awaitable<json::object> Service::get(const std::string& order_id, const std::optional<std::string>& user_id) {
    if (!Uuid::parse(order_id)) throw ApiError(ErrorCode::order_not_found, "order id is not a UUID");
    db::Params params{order_id, user_id};
    auto rows = co_await pool_.query(kOrderJson, params);
    if (rows.rows() == 0) throw ApiError(ErrorCode::order_not_found, "no such order for this requester");
    co_return json::parse(rows.text(0, 0)).as_object();
}

boost::asio::awaitable<json::object> Service::list_for_customer(const std::string& user_id, const http::QueryParams& query) {
    int limit = limit_of(query);
    auto [after_time, after_id] = cursor_of(query);
    db::Params params{user_id, after_time, after_id, std::to_string(limit + 1)};
    auto rows = co_await pool_.query(kListCustomerOrders, params);
    int count = std::min(rows.rows(), limit);
    json::array items;
    for (int row = 0; row < count; ++row) {
        items.push_back(json::object{{"id", rows.text(row, 0)},
                                     {"number", rows.text(row, 1)},
                                     {"status", rows.text(row, 2)},
                                     {"total", rows.int64(row, 3)},
                                     {"currency", rows.text(row, 4)},
                                     {"created_at", rows.text(row, 5)},
                                     {"item_count", rows.int64(row, 6)}});
    }
    co_return json::object{{"items", std::move(items)}, {"next_cursor", next_cursor(rows, count, limit, 5)}};
}

boost::asio::awaitable<json::object> Service::list_for_admin(const http::QueryParams& query) {
    int limit = limit_of(query);
    auto [after_time, after_id] = cursor_of(query);
    auto status = query.get("status");
    if (status && !is_status(*status)) throw invalid_parameter("status", "unknown_value", {{"allowed", "pending_payment, paid, in_production, shipped, delivered, cancelled, payment_failed, expired, refund_pending, refunded"}});
    auto from = time_filter(query, "from");
    auto to = time_filter(query, "to");
    auto search = query.get("q");
    if (search && search->empty()) throw invalid_parameter("q", "empty");
    if (search && search->size() > 254) throw invalid_parameter("q", "too_long", {{"max", "254"}});

    db::Params params{status, from, to, search, after_time, after_id, std::to_string(limit + 1)};
    db::Result rows;
    bool bad_date = false;
    try {
        rows = co_await pool_.query(kListAdminOrders, params);
    } catch (const db::DbError& error) {
        // 22007/22008: a date shaped right but impossible, such as 2026-13-45.
        if (!error.sqlstate().starts_with("22")) throw;
        bad_date = true;
    }
    if (bad_date) throw invalid_parameter(from ? "from" : "to", "invalid_format");

    int count = std::min(rows.rows(), limit);
    json::array items;
    for (int row = 0; row < count; ++row) {
        json::value tracking = nullptr;
        if (auto code = rows.optional_text(row, 8)) tracking = json::string(*code);
        items.push_back(json::object{{"id", rows.text(row, 0)},
                                     {"number", rows.text(row, 1)},
                                     {"status", rows.text(row, 2)},
                                     {"email", rows.text(row, 3)},
                                     {"customer_name", rows.text(row, 4)},
                                     {"total", rows.int64(row, 5)},
                                     {"currency", rows.text(row, 6)},
                                     {"shipping_option", rows.text(row, 7)},
                                     {"tracking_code", tracking},
                                     {"version", rows.int64(row, 9)},
                                     {"created_at", rows.text(row, 10)}});
    }
    co_return json::object{{"items", std::move(items)}, {"next_cursor", next_cursor(rows, count, limit, 10)}};
}

boost::asio::awaitable<json::object> Service::change_status(const StatusChange& change) {
    if (!Uuid::parse(change.order_id)) throw ApiError(ErrorCode::order_not_found, "order id is not a UUID");
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        db::Params lock{change.order_id};
        auto order = co_await connection.execute(kLockOrder, lock);
        if (order.rows() == 0) throw ApiError(ErrorCode::order_not_found, "no such order");
        std::string from(order.text(0, 0));
        auto version = order.int64(0, 1);
        if (change.expected_version != 0 && version != change.expected_version) {
            throw ApiError(ErrorCode::version_mismatch, "order is at version " + std::to_string(version),
                           {{"version", std::to_string(version)}});
        }
        if (!admin_may_move(from, change.to)) {
            throw ApiError(ErrorCode::invalid_status_transition, from + " -> " + change.to, {{"from", from}, {"to", change.to}});
        }
        if (change.to == "shipped" && !change.tracking_code) {
            throw ApiError(ErrorCode::validation_failed, "shipping needs a tracking code", {},
                           {FieldError{"tracking_code", "required", {}}});
        }

        // Read on this transaction's connection: taking a second one from the pool while
        // holding this one can exhaust the pool under load.
        db::Params read{change.order_id, std::nullopt};
        auto before_rows = co_await connection.execute(kOrderJson, read);
        auto before = json::parse(before_rows.text(0, 0)).as_object();
        if (change.to == "shipped" && from != "shipped") co_await consume(connection, change.order_id);
        if (change.to == "cancelled" || change.to == "refund_pending") co_await release(connection, change.order_id);
        if (change.to == "cancelled") {
            db::Params payments{change.order_id, std::string("pending"), std::string("cancelled")};
            co_await connection.execute(kSetPaymentsStatus, payments);
        }
        if (change.to == "refunded") {
            // NOTE: records a refund made in the provider's dashboard; Bijou does not call
            // the provider's refund API yet.
            db::Params payments{change.order_id};
            co_await connection.execute(kRefundPayments, payments);
        }
        db::Params update{change.order_id, change.to, change.tracking_code};
        co_await connection.execute(kSetOrderStatus, update);
        if (change.to == "shipped" && from != "shipped") {
            json::object payload{{"order_id", change.order_id}};
            std::optional<std::string> dedupe = "mail.order_shipped:" + change.order_id + ":" + std::to_string(version);
            co_await jobs::enqueue(connection, "mail.order_shipped", payload, dedupe);
        }

        json::object before_state{{"status", from}, {"version", version}, {"tracking_code", before["tracking_code"]}};
        json::object after_state{{"status", change.to}, {"version", version + 1}};
        if (change.tracking_code) after_state["tracking_code"] = *change.tracking_code;
        std::optional<std::string> ip;
        if (!change.ip.empty()) ip = change.ip;
        audit::Entry entry{"admin", change.admin_id, std::nullopt, "order.status_changed", "order", change.order_id,
                           json::serialize(before_state), json::serialize(after_state), ip, change.request_id};
        co_await audit::write(connection, entry);
    });
    co_return co_await get(change.order_id, std::nullopt);
}

}  // namespace bijou::orders
