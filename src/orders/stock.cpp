#include "orders/stock.hpp"

#include <map>

#include "orders_sql.hpp"

namespace bijou::orders {

namespace {
const db::Statement kOrderNeeds{"orders.order_needs", sql::k_order_needs};
const db::Statement kLockInventory{"orders.lock_inventory", sql::k_lock_inventory};
const db::Statement kInsertReservation{"orders.insert_reservation", sql::k_insert_reservation};
const db::Statement kDropSettled{"orders.drop_settled_reservations", sql::k_drop_settled_reservations};
const db::Statement kRelease{"orders.release_reservations", sql::k_release_reservations};
const db::Statement kConsume{"orders.consume_reservations", sql::k_consume_reservations};
const db::Statement kKeep{"orders.keep_reservations", sql::k_keep_reservations};
}  // namespace

boost::asio::awaitable<std::optional<Shortfall>> reserve(db::Connection& connection, const std::string& order_id,
                                                         const std::optional<std::string>& expires_at) {
    db::Params order{order_id};
    auto needs = co_await connection.execute(kOrderNeeds, order);
    std::map<std::string, std::int64_t> needed;
    std::string ids = "{";
    for (int row = 0; row < needs.rows(); ++row) {
        needed[std::string(needs.text(row, 0))] = needs.int64(row, 1);
        if (row > 0) ids += ',';
        ids += needs.text(row, 0);
    }
    ids += '}';

    db::Params lock{ids};
    auto free = co_await connection.execute(kLockInventory, lock);
    std::map<std::string, std::int64_t> available;
    for (int row = 0; row < free.rows(); ++row) available[std::string(free.text(row, 0))] = free.int64(row, 1);
    for (const auto& [inventory_id, units] : needed) {
        auto found = available.find(inventory_id);
        std::int64_t have = found == available.end() ? 0 : found->second;
        if (have < units) co_return Shortfall{inventory_id, have, units};
    }

    co_await connection.execute(kDropSettled, order);
    // std::map iterates in id order, the order the rows were locked in.
    for (const auto& [inventory_id, units] : needed) {
        db::Params reservation{order_id, inventory_id, std::to_string(units), expires_at};
        co_await connection.execute(kInsertReservation, reservation);
    }
    co_return std::nullopt;
}

boost::asio::awaitable<void> release(db::Connection& connection, const std::string& order_id) {
    db::Params params{order_id};
    co_await connection.execute(kRelease, params);
}

boost::asio::awaitable<void> consume(db::Connection& connection, const std::string& order_id) {
    db::Params params{order_id};
    co_await connection.execute(kConsume, params);
}

boost::asio::awaitable<void> keep(db::Connection& connection, const std::string& order_id) {
    db::Params params{order_id};
    co_await connection.execute(kKeep, params);
}

}  // namespace bijou::orders
