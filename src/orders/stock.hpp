#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "db/pool.hpp"

namespace bijou::orders {

// The first inventory row an order cannot get enough units of.
struct Shortfall {
    std::string inventory_id;
    std::int64_t available = 0;
    std::int64_t needed = 0;
};

// Reserves the units of an order's lines (variants and pendants together, summed per
// inventory row), locking the inventory rows in id order so that concurrent checkouts
// never deadlock and never oversell. Returns the shortfall and reserves nothing when any
// row lacks units. `expires_at` is a timestamp literal, or nullopt for a paid order.
boost::asio::awaitable<std::optional<Shortfall>> reserve(db::Connection& connection, const std::string& order_id,
                                                         const std::optional<std::string>& expires_at);

// Returns an order's reserved units to sale.
boost::asio::awaitable<void> release(db::Connection& connection, const std::string& order_id);

// Takes an order's reserved units out of stock (it ships).
boost::asio::awaitable<void> consume(db::Connection& connection, const std::string& order_id);

// Stops an order's reservations from expiring (it is paid).
boost::asio::awaitable<void> keep(db::Connection& connection, const std::string& order_id);

}  // namespace bijou::orders
