#include "cart/repository.hpp"

#include "cart_sql.hpp"

namespace bijou::cart {

namespace {
const db::Statement kCartLines{"cart.cart_lines", sql::k_cart_lines};

}  // namespace

boost::asio::awaitable<std::vector<Line>> load_lines(db::Connection& connection, const std::string& cart_id) {
    db::Params params{cart_id};
    auto rows = co_await connection.execute(kCartLines, params);
    std::vector<Line> lines;
    lines.reserve(static_cast<std::size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) {
        Line line;
        line.id = rows.text(row, 0);
        line.variant_id = rows.text(row, 1);
        line.product_id = rows.text(row, 2);
        line.product_slug = rows.text(row, 3);
        line.product_name = rows.text(row, 4);
        line.variant_name = rows.text(row, 5);
        line.sku = rows.text(row, 6);
        line.pendant_option_id = rows.optional_string(row, 7);
        line.pendant_name = rows.optional_string(row, 8);
        line.engraving = rows.optional_string(row, 9);
        line.quantity = rows.int64(row, 10);
        line.variant_price = rows.int64(row, 11);
        line.pendant_price_delta = rows.int64(row, 12);
        line.variant_available = rows.int64(row, 13);
        line.pendant_available = rows.optional_int64(row, 14);
        line.purchasable = rows.boolean(row, 15);
        line.lead_time_days = rows.int64(row, 16);
        line.weight_grams = rows.int64(row, 17);
        line.variant_inventory_id = rows.optional_string(row, 18);
        line.pendant_inventory_id = rows.optional_string(row, 19);
        lines.push_back(std::move(line));
    }
    co_return lines;
}

}  // namespace bijou::cart
