#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "admin/permissions.hpp"
#include "auth/hash_pool.hpp"
#include "auth/keys.hpp"
#include "auth/service.hpp"
#include "db/pool.hpp"
#include "ratelimit/limiter.hpp"

namespace bijou::admin {

// Audience of admin access tokens: customer endpoints reject them, and the admin API
// rejects customer tokens.
inline constexpr std::string_view kAdminAudience = "bijou-admin";

struct AdminPrincipal {
    std::string admin_id;
    std::string session_id;
    Role role = Role::support;
};

struct AuditQuery {
    std::optional<std::string> action;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::optional<std::string> actor_admin_id;
    int limit = 50;
    // Position after the last entry seen: created_at in Unix microseconds, and id.
    std::optional<std::pair<std::string, std::string>> after;
};

// Admin sign-in (password, then a TOTP code), admin token checks with role permissions,
// and the audit log.
class AdminService {
public:
    AdminService(db::Pool& pool, auth::KeyStore& keys, auth::HashPool& hashes, ratelimit::Limiter& limiter,
                 const Config& config);

    // Returns {"admin", "access_token", "token_type", "expires_in"}. Any wrong factor gives
    // the same invalid_credentials, and a TOTP code works once.
    boost::asio::awaitable<boost::json::object> login(const std::string& email, const std::string& password,
                                                      const std::string& code, const auth::ClientInfo& client,
                                                      const std::string& request_id);

    // Verifies an admin Bearer token and that its role has `permission`. Throws
    // unauthorized or permission_denied.
    boost::asio::awaitable<AdminPrincipal> authenticate(std::string_view authorization, Permission permission);

    // Rotates an admin refresh token within the 8-hour session, with the reuse detection of
    // customer tokens. Throws invalid_refresh_token.
    boost::asio::awaitable<boost::json::object> refresh(const std::string& refresh_token, const std::string& ip,
                                                        const std::string& request_id);
    // Ends the session of the token, at once for its access tokens too.
    boost::asio::awaitable<void> logout(const AdminPrincipal& principal, const std::string& ip,
                                        const std::string& request_id);

    boost::asio::awaitable<boost::json::object> audit_log(const AuditQuery& query);

private:
    db::Pool& pool_;
    auth::KeyStore& keys_;
    auth::HashPool& hashes_;
    ratelimit::Limiter& limiter_;
    const Config& config_;
    auth::MasterKey master_key_;
    std::string dummy_hash_;
};

// Creates an admin with a fresh TOTP secret and writes the otpauth:// URI to enrol it.
// Blocking, for the `bijou admin create` command. Throws std::runtime_error with the reason.
void create_admin(const Config& config, const std::string& email, const std::string& name, Role role,
                  const std::string& password, std::ostream& out);

}  // namespace bijou::admin
