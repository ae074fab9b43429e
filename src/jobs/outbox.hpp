#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "db/pool.hpp"

namespace bijou::jobs {

// Queues a background job on the connection of the business change that causes it, inside
// the same transaction: the job exists exactly when the change commits. `bijou worker`
// relays it to Redis Streams and runs the handler registered for `topic`.
//
// Payloads carry ids, not personal data or secrets: handlers read the current state when
// they run. A `dedupe_key` makes a second enqueue of the same job a no-op while the first
// is still kept in the outbox.
boost::asio::awaitable<void> enqueue(db::Connection& connection, std::string_view topic,
                                     const boost::json::object& payload,
                                     const std::optional<std::string>& dedupe_key = std::nullopt);

}  // namespace bijou::jobs
