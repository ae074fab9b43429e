#pragma once

#include <string_view>

namespace bijou::orders {

// The order statuses, as stored in customer_order.status:
//   pending_payment -> paid -> in_production -> shipped -> delivered
// plus cancelled, payment_failed, expired, refund_pending and refunded.
bool is_status(std::string_view status);

// Whether an admin may move an order from `from` to `to`. Payments (paid, payment_failed)
// and expiry are the system's moves, not an admin's.
bool admin_may_move(std::string_view from, std::string_view to);

}  // namespace bijou::orders
