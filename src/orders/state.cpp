#include "orders/state.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace bijou::orders {

namespace {

constexpr std::array<std::string_view, 10> kStatuses{"pending_payment", "paid",      "in_production", "shipped",
                                                     "delivered",       "cancelled", "payment_failed", "expired",
                                                     "refund_pending",  "refunded"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kAdminMoves{{
    {"paid", "in_production"},
    {"paid", "shipped"},
    {"in_production", "shipped"},
    {"shipped", "delivered"},
    {"pending_payment", "cancelled"},
    {"payment_failed", "cancelled"},
    {"expired", "cancelled"},
    // A paid order that cannot be made or sent: the money goes back.
    {"paid", "refund_pending"},
    {"in_production", "refund_pending"},
    {"refund_pending", "refunded"},
    // An order shipped with the wrong tracking code gets the right one.
    {"shipped", "shipped"},
}};

}  // namespace

bool is_status(std::string_view status) {
    return std::find(kStatuses.begin(), kStatuses.end(), status) != kStatuses.end();
}

bool admin_may_move(std::string_view from, std::string_view to) {
    return std::find(kAdminMoves.begin(), kAdminMoves.end(), std::make_pair(from, to)) != kAdminMoves.end();
}

}  // namespace bijou::orders
