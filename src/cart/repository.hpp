#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.hpp"

namespace bijou::cart {

// One cart line as the catalog prices and stocks it now.
struct Line {
    std::string id;
    std::string variant_id;
    std::string product_id;
    std::string product_slug;
    std::string product_name;
    std::string variant_name;
    std::string sku;
    std::optional<std::string> pendant_option_id;
    std::optional<std::string> pendant_name;
    std::optional<std::string> engraving;
    std::int64_t quantity = 0;
    std::int64_t variant_price = 0;
    std::int64_t pendant_price_delta = 0;
    std::int64_t variant_available = 0;
    std::optional<std::int64_t> pendant_available;
    bool purchasable = true;
    std::int64_t lead_time_days = 0;
    std::int64_t weight_grams = 0;
    std::optional<std::string> variant_inventory_id;
    std::optional<std::string> pendant_inventory_id;

    std::int64_t unit_price() const { return variant_price + pendant_price_delta; }
    std::int64_t line_total() const { return unit_price() * quantity; }
};

// Reads the lines of a cart, oldest first.
boost::asio::awaitable<std::vector<Line>> load_lines(db::Connection& connection, const std::string& cart_id);

}  // namespace bijou::cart
