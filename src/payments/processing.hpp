#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "db/pool.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Applies a provider's verdict on one of our payments, in one transaction with its order:
//  - approved: the payment is captured once (a repeat changes nothing). A pending order
//    becomes paid and keeps its stock until it ships. An order that expired or failed
//    meanwhile reserves its stock again; when the stock is gone it becomes refund_pending,
//    never paid and shipped short.
//  - declined: a pending payment is declined; when the order has no other payment that
//    may succeed, its stock is released and it becomes payment_failed. A decline after an
//    approval (events out of order) changes nothing.
// Queues the order-paid e-mail. Throws payment_not_found for an unknown payment.
boost::asio::awaitable<void> apply_status(db::Connection& connection, const std::string& payment_id,
                                          ChargeStatus status, const std::string& failure_reason);

// Stores a provider's response to a new charge: its id first, in a transaction of its own,
// then the Pix code, boleto fields or failure reason, and, for a charge settled at once
// (a card), its status through apply_status.
boost::asio::awaitable<void> record_charge(db::Pool& pool, const std::string& payment_id, const ChargeResult& result,
                                           const std::optional<std::string>& boleto_due_date);

// Expires up to `limit` unpaid orders whose reservation ran out: their stock goes back to
// sale, their pending payments expire. Several workers may run it at once. Returns how
// many orders expired.
boost::asio::awaitable<int> expire_due_orders(db::Pool& pool, int limit);

}  // namespace bijou::payments
