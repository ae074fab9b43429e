#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "admin/permissions.hpp"
#include "admin/service.hpp"
#include "auth/hash_pool.hpp"
#include "auth/keys.hpp"
#include "db/pool.hpp"

namespace bijou::admin {

// Who asks for an admin change, for the audit log.
struct Actor {
    std::string admin_id;
    std::string ip;
    std::string request_id;
};

struct NewAdmin {
    std::string email;
    std::string name;
    Role role = Role::support;
    std::string password;
};

struct AdminChange {
    std::optional<Role> role;
    // "active" or "disabled".
    std::optional<std::string> status;
};

// The owner's management of the staff accounts: list, create (with TOTP enrolled and the
// otpauth URI shown once), change role or disable, and reset a lost authenticator. Every
// change writes audit_log in its transaction with the state before and after. An owner
// cannot change their own role or status, and the last active owner cannot be demoted or
// disabled, so the shop always keeps someone who can manage staff.
class AdminDirectory {
public:
    AdminDirectory(db::Pool& pool, auth::HashPool& hashes, const Config& config);

    boost::asio::awaitable<boost::json::object> list();
    // Returns {"admin": {...}, "otpauth_uri": "..."}. Throws admin_exists.
    boost::asio::awaitable<boost::json::object> create(const Actor& actor, const NewAdmin& admin);
    // Throws admin_not_found and admin_change_refused.
    boost::asio::awaitable<boost::json::object> update(const Actor& actor, const std::string& admin_id,
                                                       const AdminChange& change);
    // Replaces the TOTP secret and ends the admin's sessions. Returns {"otpauth_uri": "..."}.
    boost::asio::awaitable<boost::json::object> reset_totp(const Actor& actor, const std::string& admin_id);

private:
    db::Pool& pool_;
    auth::HashPool& hashes_;
    auth::MasterKey master_key_;
};

}  // namespace bijou::admin
