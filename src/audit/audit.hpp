#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "db/pool.hpp"

namespace bijou::audit {

// One audit-log entry. Written on the connection of the change it records, inside the same
// transaction, so a change and its entry commit or roll back together.
struct Entry {
    // admin, system or customer; the matching actor id is set for admin and customer.
    std::string actor_type;
    std::optional<std::string> actor_admin_id;
    std::optional<std::string> actor_user_id;
    // Dotted lower-case verb such as admin.login or auth.refresh_token_reused.
    std::string action;
    std::string entity_type;
    std::optional<std::string> entity_id;
    // JSON documents of the entity before and after the change.
    std::optional<std::string> before;
    std::optional<std::string> after;
    std::optional<std::string> ip;
    std::optional<std::string> request_id;
};

boost::asio::awaitable<void> write(db::Connection& connection, const Entry& entry);

// The statement behind write(), for blocking command-line use.
const db::Statement& insert_statement();

}  // namespace bijou::audit
