#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "db/pool.hpp"
#include "http/message.hpp"

namespace bijou::orders {

// A status change that an admin requests.
struct StatusChange {
    std::string order_id;
    std::string to;
    std::optional<std::string> tracking_code;
    // The order version the admin saw (If-Match); a stale one gets 412. 0 accepts any.
    std::int64_t expected_version = 0;
    std::string admin_id;
    std::string ip;
    std::string request_id;
};

// Orders as customers and admins read and move them. Customers reach only their own
// orders: another customer's order id gets 404, like an unknown one.
class Service {
public:
    explicit Service(db::Pool& pool) : pool_(pool) {}

    // The order as JSON. Throws order_not_found.
    boost::asio::awaitable<boost::json::object> get(const std::string& order_id, const std::optional<std::string>& user_id);
    // One page of a customer's orders, newest first (`limit`, `cursor`).
    boost::asio::awaitable<boost::json::object> list_for_customer(const std::string& user_id, const http::QueryParams& query);
    // One page of all orders for the admin panel (`status`, `from`, `to`, `q`, `limit`, `cursor`).
    boost::asio::awaitable<boost::json::object> list_for_admin(const http::QueryParams& query);

    // Applies an admin's status change with its effects on stock and payments, writes the
    // audit log in the same transaction and queues the shipping e-mail. Throws
    // order_not_found, version_mismatch (412), invalid_status_transition (409) and
    // validation_failed (a shipment without a tracking code).
    boost::asio::awaitable<boost::json::object> change_status(const StatusChange& change);

private:
    db::Pool& pool_;
};

}  // namespace bijou::orders
