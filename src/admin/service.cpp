#include "admin/service.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "admin/totp.hpp"
#include "admin_sql.hpp"
#include "auth_sql.hpp"
#include "audit/audit.hpp"
#include "auth/password.hpp"
#include "auth/tokens.hpp"
#include "core/base64.hpp"
#include "core/contact.hpp"
#include "core/log.hpp"
#include "db/blocking.hpp"
#include "jobs/outbox.hpp"

namespace bijou::admin {

namespace json = boost::json;

namespace {

const db::Statement kInsertAdmin{"admin.insert_admin", sql::k_insert_admin};
const db::Statement kFindAdminByEmail{"admin.find_admin_by_email", sql::k_find_admin_by_email};
const db::Statement kAcceptTotpStep{"admin.accept_totp_step", sql::k_accept_totp_step};
const db::Statement kCreateAdminSession{"admin.create_admin_session", sql::k_create_admin_session};
const db::Statement kAdminSessionActive{"admin.admin_session_active", sql::k_admin_session_active};
const db::Statement kListAuditLog{"admin.list_audit_log", sql::k_list_audit_log};
const db::Statement kFindAdminRefreshToken{"admin.find_admin_refresh_token", sql::k_find_admin_refresh_token};
const db::Statement kRecordFailure{"admin.record_admin_login_failure", sql::k_record_admin_login_failure};
const db::Statement kRecordLogin{"admin.record_admin_login", sql::k_record_admin_login};
const db::Statement kRevokeAdminSession{"admin.revoke_admin_session", sql::k_revoke_admin_session};
const db::Statement kInsertRefreshToken{"admin.insert_refresh_token", auth::sql::k_insert_refresh_token};
const db::Statement kUseRefreshToken{"admin.use_refresh_token", auth::sql::k_use_refresh_token};

// Admins sign in again, with a new TOTP code, after this long.
constexpr std::chrono::seconds kAdminSessionLifetime{8 * 3600};
constexpr std::chrono::seconds kLoginIpWindow{5 * 60};
constexpr std::chrono::seconds kLoginAccountWindow{15 * 60};

json::value nullable(const db::Result& rows, int row, int column) {
    auto value = rows.optional_text(row, column);
    if (!value) return nullptr;
    return json::string(*value);
}

json::value nullable_json(const db::Result& rows, int row, int column) {
    auto value = rows.optional_text(row, column);
    if (!value) return nullptr;
    return json::parse(*value);
}

}  // namespace

AdminService::AdminService(db::Pool& pool, auth::KeyStore& keys, auth::HashPool& hashes, ratelimit::Limiter& limiter,
                           const Config& config)
    : pool_(pool),
      keys_(keys),
      hashes_(hashes),
      limiter_(limiter),
      config_(config),
      master_key_(auth::MasterKey::from_config(config)) {}

boost::asio::awaitable<json::object> AdminService::login(const std::string& email, const std::string& password,
                                                         const std::string& code, const auth::ClientInfo& client,
                                                         const std::string& request_id) {
    ratelimit::Rule per_ip{"admin_login_ip", config_.auth.login_limit_per_ip, kLoginIpWindow};
    co_await limiter_.hit(per_ip, client.ip);
    ratelimit::Rule per_account{"admin_login_account", config_.auth.login_limit_per_account, kLoginAccountWindow};
    auto account_key = master_key_.digest(email);
    co_await limiter_.hit(per_account, account_key);

    db::Params email_params{email};
    auto rows = co_await pool_.query(kFindAdminByEmail, email_params);
    bool found = rows.rows() == 1;
    if (dummy_hash_.empty()) {
        auth::PasswordPolicy policy;
        auto hashing = [policy] { return auth::hash_password(auth::random_token(), policy); };
        dummy_hash_ = co_await hashes_.run(hashing);
    }
    std::string hash = dummy_hash_;
    if (found) hash = std::string(rows.text(0, 1));
    auto verifying = [password, hash] { return auth::verify_password(password, hash); };
    bool verified = co_await hashes_.run(verifying);

    std::optional<std::uint64_t> step;
    if (found && verified && rows.boolean(0, 4) && !rows.is_null(0, 3)) {
        auto sealed = decode_base64(rows.text(0, 3));
        auto secret = sealed ? master_key_.open(*sealed) : std::nullopt;
        if (secret) step = verify_totp(*secret, code, std::chrono::system_clock::now());
    }
    if (!step) {
        if (found && rows.boolean(0, 4)) {
            // Wrong password or code for an admin who may log in: count it towards a lock.
            db::Params failure{std::string(rows.text(0, 0)), std::to_string(config_.auth.lockout_threshold),
                               std::to_string(config_.auth.lockout_duration.count())};
            std::string admin_id(rows.text(0, 0));
            // The lock and the notice to its admin commit together.
            co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
                auto locked = co_await connection.execute(kRecordFailure, failure);
                if (locked.rows() == 1 && locked.boolean(0, 0)) {
                    json::object payload{{"admin_id", admin_id}};
                    co_await jobs::enqueue(connection, "mail.admin_locked", payload);
                    log::warn("admin locked after failed sign-ins", {{"admin_id", admin_id}});
                }
            });
        }
        log::warn("admin login failed", {{"known_email", found}});
        throw ApiError(ErrorCode::invalid_credentials, "admin login failed");
    }

    std::string admin_id(rows.text(0, 0));
    std::string role(rows.text(0, 2));
    auto body = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<json::object> {
        db::Params step_params{admin_id, std::to_string(*step)};
        auto accepted = co_await connection.execute(kAcceptTotpStep, step_params);
        if (accepted.rows() == 0) throw ApiError(ErrorCode::invalid_credentials, "TOTP code already used");

        db::Params session_params{admin_id, std::to_string(kAdminSessionLifetime.count()),
                                  client.user_agent.substr(0, 512),
                                  client.ip.empty() ? std::nullopt : std::optional<std::string>(client.ip)};
        auto session = co_await connection.execute(kCreateAdminSession, session_params);
        std::string session_id(session.text(0, 0));

        db::Params login_params{admin_id};
        co_await connection.execute(kRecordLogin, login_params);
        auto refresh_token = auth::random_token();
        db::Params token_params{session_id, auth::sha256_hex(refresh_token)};
        co_await connection.execute(kInsertRefreshToken, token_params);

        audit::Entry entry{"admin", admin_id, std::nullopt, "admin.login", "auth_session", session_id,
                           std::nullopt, std::nullopt,
                           client.ip.empty() ? std::nullopt : std::optional<std::string>(client.ip), request_id};
        co_await audit::write(connection, entry);

        json::object extra{{"role", role}};
        auto token = co_await auth::issue_access_token(keys_, config_, kAdminAudience, admin_id, session_id, extra);
        co_return json::object{
            {"admin", json::object{{"id", admin_id}, {"email", email}, {"role", role}}},
            {"access_token", token},
            {"token_type", "Bearer"},
            {"expires_in", config_.auth.access_token_ttl.count()},
            {"refresh_token", refresh_token},
        };
    });
    co_return body;
}

boost::asio::awaitable<json::object> AdminService::refresh(const std::string& refresh_token, const std::string& ip,
                                                            const std::string& request_id) {
    ratelimit::Rule per_ip{"admin_refresh_ip", config_.auth.refresh_limit_per_ip, kLoginIpWindow};
    co_await limiter_.hit(per_ip, ip);
    auto hash = auth::sha256_hex(refresh_token);
    std::optional<std::string> failure;
    auto body = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<json::object> {
        db::Params find{hash};
        auto rows = co_await connection.execute(kFindAdminRefreshToken, find);
        if (rows.rows() == 0) {
            failure = "unknown admin refresh token";
            co_return json::object{};
        }
        std::string token_id(rows.text(0, 0));
        std::string session_id(rows.text(0, 1));
        std::string admin_id(rows.text(0, 3));
        std::string role(rows.text(0, 4));
        if (rows.boolean(0, 2)) {
            // A rotated token used again: one of its two holders is a thief.
            db::Params revoke{session_id, std::string("token_reuse")};
            co_await connection.execute(kRevokeAdminSession, revoke);
            audit::Entry entry{"system", std::nullopt, std::nullopt, "admin.refresh_token_reused", "auth_session",
                               session_id, std::nullopt, "{\"admin_id\":\"" + admin_id + "\"}", std::nullopt, request_id};
            co_await audit::write(connection, entry);
            failure = "reused admin refresh token";
            co_return json::object{};
        }
        if (rows.boolean(0, 5) || rows.boolean(0, 6)) {
            failure = "admin session revoked or expired";
            co_return json::object{};
        }
        auto fresh = auth::random_token();
        db::Params insert{session_id, auth::sha256_hex(fresh)};
        auto inserted = co_await connection.execute(kInsertRefreshToken, insert);
        db::Params use{token_id, std::string(inserted.text(0, 0))};
        co_await connection.execute(kUseRefreshToken, use);
        json::object extra{{"role", role}};
        auto token = co_await auth::issue_access_token(keys_, config_, kAdminAudience, admin_id, session_id, extra);
        co_return json::object{{"access_token", token},
                               {"token_type", "Bearer"},
                               {"expires_in", config_.auth.access_token_ttl.count()},
                               {"refresh_token", fresh}};
    });
    if (failure) throw ApiError(ErrorCode::invalid_refresh_token, *failure);
    co_return body;
}

boost::asio::awaitable<void> AdminService::logout(const AdminPrincipal& principal, const std::string& ip,
                                                  const std::string& request_id) {
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        db::Params revoke{principal.session_id, std::string("logout")};
        co_await connection.execute(kRevokeAdminSession, revoke);
        audit::Entry entry{"admin", principal.admin_id, std::nullopt, "admin.logout", "auth_session", principal.session_id,
                           std::nullopt, std::nullopt, ip.empty() ? std::nullopt : std::optional<std::string>(ip), request_id};
        co_await audit::write(connection, entry);
    });
}

boost::asio::awaitable<AdminPrincipal> AdminService::authenticate(std::string_view authorization, Permission permission) {
    constexpr std::string_view kScheme = "Bearer ";
    auto scheme_matches = [&] {
        // The scheme name is case-insensitive (RFC 9110).
        for (std::size_t i = 0; i < kScheme.size(); ++i) {
            if (std::tolower(static_cast<unsigned char>(authorization[i])) != std::tolower(static_cast<unsigned char>(kScheme[i]))) {
                return false;
            }
        }
        return true;
    };
    if (authorization.size() <= kScheme.size() || !scheme_matches()) {
        throw ApiError(ErrorCode::unauthorized, "missing Bearer token");
    }

    auto ring = co_await keys_.current();
    auth::TokenExpectations expected;
    expected.issuer = config_.auth.issuer;
    expected.audience = std::string(kAdminAudience);
    auto verified = auth::verify_token(authorization.substr(kScheme.size()), ring->verification, expected);
    if (verified.error != auth::TokenError::none) {
        throw ApiError(ErrorCode::unauthorized, "admin token rejected: " + std::string(auth::token_error_name(verified.error)));
    }
    const auto* subject = verified.claims.if_contains("sub");
    const auto* session = verified.claims.if_contains("sid");
    if (subject == nullptr || !subject->is_string() || session == nullptr || !session->is_string()) {
        throw ApiError(ErrorCode::unauthorized, "admin token without sub or sid");
    }

    AdminPrincipal principal{std::string(subject->as_string()), std::string(session->as_string())};
    db::Params params{principal.session_id, principal.admin_id};
    auto rows = co_await pool_.query(kAdminSessionActive, params);
    if (rows.rows() == 0) throw ApiError(ErrorCode::unauthorized, "admin session revoked or admin disabled");
    auto role = parse_role(rows.text(0, 0));
    if (!role) throw ApiError(ErrorCode::unauthorized, "unknown admin role");
    principal.role = *role;

    if (!role_has(principal.role, permission)) {
        throw ApiError(ErrorCode::permission_denied, "role " + std::string(role_name(principal.role)) + " lacks permission");
    }
    co_return principal;
}

boost::asio::awaitable<json::object> AdminService::audit_log(const AuditQuery& query) {
    std::string key = "253402300799999999";
    std::string id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    if (query.after) std::tie(key, id) = *query.after;
    db::Params params{query.action, query.entity_type, query.entity_id, query.actor_admin_id, key, id,
                      std::to_string(query.limit + 1)};
    auto rows = co_await pool_.query(kListAuditLog, params);
    int count = std::min(rows.rows(), query.limit);

    json::array items;
    for (int row = 0; row < count; ++row) {
        items.push_back(json::object{
            {"id", rows.text(row, 0)},
            {"actor_type", rows.text(row, 1)},
            {"actor_admin_id", nullable(rows, row, 2)},
            {"actor_user_id", nullable(rows, row, 3)},
            {"action", rows.text(row, 4)},
            {"entity_type", rows.text(row, 5)},
            {"entity_id", nullable(rows, row, 6)},
            {"before", nullable_json(rows, row, 7)},
            {"after", nullable_json(rows, row, 8)},
            {"ip", nullable(rows, row, 9)},
            {"request_id", nullable(rows, row, 10)},
            {"created_at", rows.text(row, 11)},
        });
    }
    json::value next_cursor = nullptr;
    if (rows.rows() > query.limit && count > 0) {
        auto position = std::string(rows.text(count - 1, 12)) + "|" + std::string(rows.text(count - 1, 0));
        next_cursor = json::string(auth::base64url_encode(position));
    }
    co_return json::object{{"items", std::move(items)}, {"next_cursor", std::move(next_cursor)}};
}

void create_admin(const Config& config, const std::string& email, const std::string& name, Role role,
                  const std::string& password, std::ostream& out) {
    if (!is_plausible_email(email)) throw std::runtime_error("'" + email + "' is not an e-mail address such as dona@loja.example");
    if (name.empty() || name.size() > 200) throw std::runtime_error("the name must have 1 to 200 characters");
    auth::PasswordPolicy policy;
    if (password.empty()) {
        throw std::runtime_error("no password given: set BIJOU_ADMIN_PASSWORD or write it on the first line of standard input");
    }
    if (auth::check_new_password(password, policy) != auth::PasswordProblem::none) {
        throw std::runtime_error("the password must have 8 to 128 characters and not be a common one");
    }
    auto master_key = auth::MasterKey::from_config(config);
    auto secret = new_totp_secret();
    auto sealed = encode_base64(master_key.seal(secret));
    auto hash = auth::hash_password(password, policy);

    db::BlockingConnection connection(config.database.url);
    connection.exec("BEGIN");
    try {
        auto inserted = connection.exec(kInsertAdmin, {email, hash, name, std::string(role_name(role)), sealed});
        if (inserted.rows() == 0) throw std::runtime_error("an admin with e-mail " + email + " already exists");
        std::string admin_id(inserted.text(0, 0));
        connection.exec(audit::insert_statement(),
                        {std::string("system"), std::nullopt, std::nullopt, std::string("admin.create"),
                         std::string("admin_user"), admin_id, std::nullopt,
                         "{\"email\":" + json::serialize(json::string(email)) + ",\"role\":\"" +
                             std::string(role_name(role)) + "\"}",
                         std::nullopt, std::nullopt});
        connection.exec("COMMIT");
    } catch (const db::DbError& error) {
        connection.exec("ROLLBACK");
        // PostgreSQL's message may quote the failing row, hash and sealed secret included;
        // only its code goes to the terminal.
        throw std::runtime_error("storing the new admin failed (SQLSTATE " + error.sqlstate() + ")");
    } catch (...) {
        connection.exec("ROLLBACK");
        throw;
    }
    out << "created admin " << email << " (" << role_name(role) << ")\n"
        << "Add this to an authenticator app (the secret is shown once):\n"
        << otpauth_uri(email, secret) << "\n";
}

}  // namespace bijou::admin
