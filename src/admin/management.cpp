#include "admin/management.hpp"

#include <boost/json.hpp>

#include "admin/totp.hpp"
#include "admin_sql.hpp"
#include "audit/audit.hpp"
#include "auth/password.hpp"
#include "core/base64.hpp"
#include "core/ids.hpp"

namespace bijou::admin {

namespace json = boost::json;

namespace {

const db::Statement kListAdmins{"admin.list_admins", sql::k_list_admins};
const db::Statement kLockAdmin{"admin.lock_admin", sql::k_lock_admin};
const db::Statement kLockOwners{"admin.lock_owners", sql::k_lock_owners};
const db::Statement kUpdateAdmin{"admin.update_admin", sql::k_update_admin};
const db::Statement kInsertByOwner{"admin.insert_admin_by_owner", sql::k_insert_admin_by_owner};
const db::Statement kResetTotp{"admin.reset_admin_totp", sql::k_reset_admin_totp};
const db::Statement kRevokeSessions{"admin.revoke_admin_sessions", sql::k_revoke_admin_sessions};

std::optional<std::string> optional_ip(const std::string& ip) {
    if (ip.empty()) return std::nullopt;
    return ip;
}

json::value nullable(const db::Result& rows, int row, int column) {
    auto value = rows.optional_text(row, column);
    if (!value) return nullptr;
    return json::string(*value);
}

boost::asio::awaitable<void> write_audit(db::Connection& connection, const Actor& actor, std::string_view action,
                                         const std::string& admin_id, const std::optional<json::object>& before,
                                         const std::optional<json::object>& after) {
    std::optional<std::string> before_text;
    std::optional<std::string> after_text;
    if (before) before_text = json::serialize(*before);
    if (after) after_text = json::serialize(*after);
    audit::Entry entry{"admin", actor.admin_id, std::nullopt, std::string(action), "admin_user", admin_id,
                       before_text, after_text, optional_ip(actor.ip), actor.request_id};
    co_await audit::write(connection, entry);
}

}  // namespace

AdminDirectory::AdminDirectory(db::Pool& pool, auth::HashPool& hashes, const Config& config)
    : pool_(pool), hashes_(hashes), master_key_(auth::MasterKey::from_config(config)) {}

boost::asio::awaitable<json::object> AdminDirectory::list() {
    auto rows = co_await pool_.query(kListAdmins);
    json::array items;
    for (int row = 0; row < rows.rows(); ++row) {
        items.push_back(json::object{{"id", rows.text(row, 0)},
                                     {"email", rows.text(row, 1)},
                                     {"name", rows.text(row, 2)},
                                     {"role", rows.text(row, 3)},
                                     {"status", rows.text(row, 4)},
                                     {"totp_enabled", rows.boolean(row, 5)},
                                     {"last_login_at", nullable(rows, row, 6)},
                                     {"created_at", rows.text(row, 7)}});
    }
    co_return json::object{{"items", std::move(items)}};
}

boost::asio::awaitable<json::object> AdminDirectory::create(const Actor& actor, const NewAdmin& admin) {
    auth::PasswordPolicy policy;
    auto password = admin.password;
    auto hashing = [password, policy] { return auth::hash_password(password, policy); };
    auto hash = co_await hashes_.run(hashing);
    auto secret = new_totp_secret();
    auto sealed = encode_base64(master_key_.seal(secret));

    auto id = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params params{admin.email, hash, admin.name, std::string(role_name(admin.role)), sealed, actor.admin_id};
        auto inserted = co_await connection.execute(kInsertByOwner, params);
        if (inserted.rows() == 0) {
            throw ApiError(ErrorCode::admin_exists, "admin e-mail taken", {}, {FieldError{"email", "taken", {}}});
        }
        std::string admin_id(inserted.text(0, 0));
        json::object after{{"email", admin.email}, {"name", admin.name}, {"role", role_name(admin.role)}, {"status", "active"}};
        co_await write_audit(connection, actor, "admin.created", admin_id, std::nullopt, after);
        co_return admin_id;
    });
    json::object created{{"id", id}, {"email", admin.email}, {"name", admin.name}, {"role", role_name(admin.role)},
                         {"status", "active"}, {"totp_enabled", true}};
    co_return json::object{{"admin", std::move(created)}, {"otpauth_uri", otpauth_uri(admin.email, secret)}};
}

boost::asio::awaitable<json::object> AdminDirectory::update(const Actor& actor, const std::string& admin_id,
                                                           const AdminChange& change) {
    if (!Uuid::parse(admin_id)) throw ApiError(ErrorCode::admin_not_found, "admin id is not a UUID");
    co_return co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<json::object> {
        co_await connection.execute(kLockOwners);
        db::Params lock{admin_id};
        auto rows = co_await connection.execute(kLockAdmin, lock);
        if (rows.rows() == 0) throw ApiError(ErrorCode::admin_not_found, "no such admin");
        std::string role(rows.text(0, 3));
        std::string status(rows.text(0, 4));
        auto other_owners = rows.int64(0, 5);
        std::string new_role = change.role ? std::string(role_name(*change.role)) : role;
        std::string new_status = change.status.value_or(status);

        std::string changed_field = new_role != role ? "role" : "status";
        if (admin_id == actor.admin_id && (new_role != role || new_status != status)) {
            throw ApiError(ErrorCode::admin_change_refused, "own role or status", {},
                           {FieldError{changed_field, "own_access", {}}});
        }
        bool was_active_owner = role == "owner" && status == "active";
        bool stays_active_owner = new_role == "owner" && new_status == "active";
        if (was_active_owner && !stays_active_owner && other_owners == 0) {
            throw ApiError(ErrorCode::admin_change_refused, "last active owner", {},
                           {FieldError{changed_field, "last_owner", {}}});
        }

        json::object unchanged{{"id", admin_id}, {"email", rows.text(0, 1)}, {"name", rows.text(0, 2)},
                               {"role", role}, {"status", status}};
        if (new_role == role && new_status == status) co_return unchanged;

        db::Params update{admin_id, new_role, new_status};
        co_await connection.execute(kUpdateAdmin, update);
        if (new_status == "disabled" || new_role != role) {
            // A new role or a disabled account takes effect at once: open sessions end.
            db::Params revoke{admin_id, std::string("admin_action")};
            co_await connection.execute(kRevokeSessions, revoke);
        }
        json::object before{{"role", role}, {"status", status}};
        json::object after{{"role", new_role}, {"status", new_status}};
        co_await write_audit(connection, actor, "admin.updated", admin_id, before, after);
        co_return json::object{{"id", admin_id},           {"email", rows.text(0, 1)}, {"name", rows.text(0, 2)},
                               {"role", new_role},          {"status", new_status}};
    });
}

boost::asio::awaitable<json::object> AdminDirectory::reset_totp(const Actor& actor, const std::string& admin_id) {
    if (!Uuid::parse(admin_id)) throw ApiError(ErrorCode::admin_not_found, "admin id is not a UUID");
    auto secret = new_totp_secret();
    auto sealed = encode_base64(master_key_.seal(secret));
    auto email = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params params{admin_id, sealed};
        auto rows = co_await connection.execute(kResetTotp, params);
        if (rows.rows() == 0) throw ApiError(ErrorCode::admin_not_found, "no such admin");
        db::Params revoke{admin_id, std::string("admin_action")};
        co_await connection.execute(kRevokeSessions, revoke);
        json::object after{{"totp_reset", true}};
        co_await write_audit(connection, actor, "admin.totp_reset", admin_id, std::nullopt, after);
        co_return std::string(rows.text(0, 0));
    });
    co_return json::object{{"otpauth_uri", otpauth_uri(email, secret)}};
}

}  // namespace bijou::admin
