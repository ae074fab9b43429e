#include "auth/service.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "auth/tokens.hpp"
#include "auth_sql.hpp"
#include "core/log.hpp"
#include "jobs/outbox.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

const db::Statement kInsertUser{"auth.insert_user", sql::k_insert_user};
const db::Statement kEmailTaken{"auth.email_taken", sql::k_email_taken};
const db::Statement kFindUserByEmail{"auth.find_user_by_email", sql::k_find_user_by_email};
const db::Statement kUpdatePasswordHash{"auth.update_password_hash", sql::k_update_password_hash};
const db::Statement kRecordLogin{"auth.record_login", sql::k_record_login};
const db::Statement kGetUser{"auth.get_user", sql::k_get_user};
const db::Statement kUpdateUser{"auth.update_user", sql::k_update_user};
const db::Statement kCreateSession{"auth.create_session", sql::k_create_session};
const db::Statement kInsertRefreshToken{"auth.insert_refresh_token", sql::k_insert_refresh_token};
const db::Statement kFindRefreshToken{"auth.find_refresh_token", sql::k_find_refresh_token};
const db::Statement kUseRefreshToken{"auth.use_refresh_token", sql::k_use_refresh_token};
const db::Statement kTouchSession{"auth.touch_session", sql::k_touch_session};
const db::Statement kRevokeSession{"auth.revoke_session", sql::k_revoke_session};
const db::Statement kRevokeUserSessions{"auth.revoke_user_sessions", sql::k_revoke_user_sessions};
const db::Statement kSessionActive{"auth.session_active", sql::k_session_active};
const db::Statement kRecordFailedLogin{"auth.record_failed_login", sql::k_record_failed_login};
const db::Statement kExportUser{"auth.export_user", sql::k_export_user};
const db::Statement kAnonymizeUser{"auth.anonymize_user", sql::k_anonymize_user};
const db::Statement kGetPasswordHash{"auth.get_password_hash", sql::k_get_password_hash};

constexpr std::chrono::seconds kLoginIpWindow{5 * 60};
constexpr std::chrono::seconds kLoginAccountWindow{15 * 60};
constexpr std::chrono::seconds kRegisterIpWindow{3600};

std::optional<std::string> optional_ip(const std::string& ip) {
    if (ip.empty()) return std::nullopt;
    return ip;
}

json::object user_json(const db::Result& rows) {
    json::value phone = nullptr;
    if (auto value = rows.optional_text(0, 3)) phone = json::string(*value);
    json::value cpf = nullptr;
    if (auto value = rows.optional_text(0, 4)) cpf = json::string(*value);
    return {
        {"id", rows.text(0, 0)},           {"email", rows.text(0, 1)},
        {"name", rows.text(0, 2)},         {"phone", phone},
        {"cpf", cpf},                      {"email_verified", rows.boolean(0, 5)},
        {"locale", rows.text(0, 6)},       {"created_at", rows.text(0, 7)},
    };
}

ApiError unauthorized(std::string reason) {
    return ApiError(ErrorCode::unauthorized, "access token rejected: " + reason);
}

}  // namespace

std::string sha256_hex(std::string_view token) {
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

std::string sha256_bytea(std::string_view token) {
    return "\\x" + sha256_hex(token);
}

AccountService::AccountService(db::Pool& pool, KeyStore& keys, HashPool& hashes, ratelimit::Limiter& limiter,
                               const Config& config)
    : pool_(pool), keys_(keys), hashes_(hashes), limiter_(limiter), config_(config),
      master_key_(MasterKey::from_config(config)) {}

boost::asio::awaitable<const std::string*> AccountService::dummy_hash() {
    // A hash of a random password with the current parameters: verifying against it costs
    // what verifying a real account costs, and never succeeds.
    if (dummy_hash_.empty()) {
        auto policy = policy_;
        auto hashing = [policy] { return hash_password(random_token(), policy); };
        dummy_hash_ = co_await hashes_.run(hashing);
    }
    co_return &dummy_hash_;
}

boost::asio::awaitable<std::string> AccountService::access_token(const std::string& user_id,
                                                                 const std::string& session_id) {
    co_return co_await issue_access_token(keys_, config_, kCustomerAudience, user_id, session_id);
}

boost::asio::awaitable<Tokens> AccountService::open_session(db::Connection& connection, const std::string& user_id,
                                                            const ClientInfo& client) {
    db::Params session_params{user_id, std::to_string(config_.auth.refresh_idle_ttl.count()),
                              std::to_string(config_.auth.refresh_absolute_ttl.count()),
                              client.user_agent.substr(0, 512), optional_ip(client.ip)};
    auto session = co_await connection.execute(kCreateSession, session_params);
    std::string session_id(session.text(0, 0));

    Tokens tokens;
    tokens.refresh_token = random_token();
    db::Params token_params{session_id, sha256_hex(tokens.refresh_token)};
    co_await connection.execute(kInsertRefreshToken, token_params);
    tokens.access_token = co_await access_token(user_id, session_id);
    tokens.expires_in = config_.auth.access_token_ttl.count();
    co_return tokens;
}

boost::asio::awaitable<std::pair<json::object, Tokens>> AccountService::register_customer(const Registration& registration,
                                                                                          const ClientInfo& client) {
    ratelimit::Rule per_ip{"register_ip", config_.auth.register_limit_per_ip, kRegisterIpWindow};
    co_await limiter_.hit(per_ip, client.ip);

    auto policy = policy_;
    auto password = registration.password;
    auto hashing = [password, policy] { return hash_password(password, policy); };
    auto hash = co_await hashes_.run(hashing);

    auto result = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::pair<std::string, Tokens>> {
        db::Params user_params{registration.email, hash, registration.name, registration.phone, registration.cpf,
                               registration.locale};
        auto inserted = co_await connection.execute(kInsertUser, user_params);
        if (inserted.rows() == 0) {
            db::Params email_params{registration.email};
            auto conflict = co_await connection.execute(kEmailTaken, email_params);
            bool email = conflict.boolean(0, 0);
            std::string field = email ? "email" : "cpf";
            throw ApiError(ErrorCode::account_exists, field + " already registered",
                           {{"field", email ? "e-mail" : "CPF"}}, {FieldError{field, "taken", {}}});
        }
        std::string user_id(inserted.text(0, 0));
        json::object payload{{"user_id", user_id}};
        co_await jobs::enqueue(connection, "mail.verify_email", payload);
        auto tokens = co_await open_session(connection, user_id, client);
        co_return std::make_pair(user_id, tokens);
    });
    log::info("customer registered", {{"user_id", result.first}});
    co_return std::make_pair(co_await profile(result.first), result.second);
}

boost::asio::awaitable<std::pair<json::object, Tokens>> AccountService::login(const std::string& email,
                                                                              const std::string& password,
                                                                              const ClientInfo& client) {
    // Budgets are checked before any hashing, so a flood costs no Argon2id work. The account
    // key is a keyed digest, because e-mail addresses do not belong in Redis.
    ratelimit::Rule per_ip{"login_ip", config_.auth.login_limit_per_ip, kLoginIpWindow};
    co_await limiter_.hit(per_ip, client.ip);
    ratelimit::Rule per_account{"login_account", config_.auth.login_limit_per_account, kLoginAccountWindow};
    auto account_key = master_key_.digest(email);
    co_await limiter_.hit(per_account, account_key);

    db::Params email_params{email};
    auto rows = co_await pool_.query(kFindUserByEmail, email_params);
    bool found = rows.rows() == 1 && !rows.is_null(0, 1);
    // Plain if/else: GCC 12 miscompiles co_await inside a conditional expression.
    std::string hash;
    if (found) {
        hash = std::string(rows.text(0, 1));
    } else {
        const std::string* dummy = co_await dummy_hash();
        hash = *dummy;
    }
    auto verifying = [password, hash] { return verify_password(password, hash); };
    bool verified = co_await hashes_.run(verifying);
    if (found && !verified) {
        db::Params failure_params{std::string(rows.text(0, 0)), std::to_string(config_.auth.lockout_threshold),
                                  std::to_string(config_.auth.lockout_duration.count())};
        std::string failed_user(rows.text(0, 0));
        // The lock and the notice to the owner commit together.
        co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
            auto locked = co_await connection.execute(kRecordFailedLogin, failure_params);
            if (locked.rows() == 1 && locked.boolean(0, 0)) {
                json::object payload{{"user_id", failed_user}};
                co_await jobs::enqueue(connection, "mail.account_locked", payload);
                log::warn("account locked after failed logins", {{"user_id", failed_user}});
            }
        });
    }
    if (!found || !verified || !rows.boolean(0, 2)) {
        log::warn("login failed", {{"known_email", found}});
        throw ApiError(ErrorCode::invalid_credentials, "login failed");
    }

    std::string user_id(rows.text(0, 0));
    std::optional<std::string> rehashed;
    if (needs_rehash(hash, policy_)) {
        auto policy = policy_;
        auto rehashing = [password, policy] { return hash_password(password, policy); };
        rehashed = co_await hashes_.run(rehashing);
    }

    // The new hash is stored in the login's transaction, so a login that fails later
    // (no signing key, say) leaves the account as it was.
    auto tokens = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<Tokens> {
        if (rehashed) {
            db::Params rehash_params{user_id, *rehashed};
            co_await connection.execute(kUpdatePasswordHash, rehash_params);
        }
        db::Params login_params{user_id};
        co_await connection.execute(kRecordLogin, login_params);
        co_return co_await open_session(connection, user_id, client);
    });
    co_return std::make_pair(co_await profile(user_id), tokens);
}

boost::asio::awaitable<Tokens> AccountService::refresh(const std::string& refresh_token, const std::string& ip) {
    ratelimit::Rule per_ip{"refresh_ip", config_.auth.refresh_limit_per_ip, kLoginIpWindow};
    co_await limiter_.hit(per_ip, ip);
    auto hash = sha256_hex(refresh_token);
    // The outcome is decided inside the transaction, but a reuse must still commit its
    // revocation, so errors are raised after it.
    std::optional<ErrorCode> failure;
    std::string failure_detail;
    auto tokens = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<Tokens> {
        db::Params find_params{hash};
        auto rows = co_await connection.execute(kFindRefreshToken, find_params);
        if (rows.rows() == 0) {
            failure = ErrorCode::invalid_refresh_token;
            failure_detail = "unknown refresh token";
            co_return Tokens{};
        }
        std::string token_id(rows.text(0, 0));
        std::string session_id(rows.text(0, 1));
        std::string user_id(rows.text(0, 3));
        if (rows.boolean(0, 2)) {
            db::Params revoke_params{session_id, std::string("token_reuse")};
            co_await connection.execute(kRevokeSession, revoke_params);
            audit::Entry entry{"system", std::nullopt, std::nullopt, "auth.refresh_token_reused", "auth_session",
                               session_id, std::nullopt, "{\"revoked\":true,\"user_id\":\"" + user_id + "\"}",
                               std::nullopt, std::nullopt};
            co_await audit::write(connection, entry);
            log::warn("refresh token reused; session revoked", {{"session_id", session_id}, {"user_id", user_id}});
            failure = ErrorCode::invalid_refresh_token;
            failure_detail = "reused refresh token";
            co_return Tokens{};
        }
        if (rows.boolean(0, 4) || rows.boolean(0, 5)) {
            failure = ErrorCode::invalid_refresh_token;
            failure_detail = "session revoked or expired";
            co_return Tokens{};
        }

        Tokens fresh;
        fresh.refresh_token = random_token();
        db::Params insert_params{session_id, sha256_hex(fresh.refresh_token)};
        auto inserted = co_await connection.execute(kInsertRefreshToken, insert_params);
        db::Params use_params{token_id, std::string(inserted.text(0, 0))};
        co_await connection.execute(kUseRefreshToken, use_params);
        db::Params touch_params{session_id, std::to_string(config_.auth.refresh_idle_ttl.count())};
        co_await connection.execute(kTouchSession, touch_params);
        fresh.access_token = co_await access_token(user_id, session_id);
        fresh.expires_in = config_.auth.access_token_ttl.count();
        co_return fresh;
    });
    if (failure) throw ApiError(*failure, failure_detail);
    co_return tokens;
}

boost::asio::awaitable<void> AccountService::logout(const Principal& principal) {
    db::Params params{principal.session_id, std::string("logout")};
    co_await pool_.query(kRevokeSession, params);
}

boost::asio::awaitable<void> AccountService::logout_by_refresh_token(const std::string& refresh_token) {
    db::Params find_params{sha256_hex(refresh_token)};
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        auto rows = co_await connection.execute(kFindRefreshToken, find_params);
        if (rows.rows() == 0) throw ApiError(ErrorCode::invalid_refresh_token, "unknown refresh token");
        db::Params revoke_params{std::string(rows.text(0, 1)), std::string("logout")};
        co_await connection.execute(kRevokeSession, revoke_params);
    });
}

boost::asio::awaitable<void> AccountService::logout_all(const Principal& principal) {
    db::Params params{principal.user_id, std::string("logout_all")};
    co_await pool_.query(kRevokeUserSessions, params);
}

boost::asio::awaitable<Principal> AccountService::authenticate(std::string_view authorization) {
    constexpr std::string_view kScheme = "Bearer ";
    if (authorization.size() <= kScheme.size() ||
        !std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
        throw unauthorized("missing Bearer token");
    }
    auto token = authorization.substr(kScheme.size());

    auto ring = co_await keys_.current();
    TokenExpectations expected;
    expected.issuer = config_.auth.issuer;
    expected.audience = std::string(kCustomerAudience);
    auto verified = verify_token(token, ring->verification, expected);
    if (verified.error != TokenError::none) throw unauthorized(std::string(token_error_name(verified.error)));

    const auto* subject = verified.claims.if_contains("sub");
    const auto* session = verified.claims.if_contains("sid");
    if (subject == nullptr || !subject->is_string() || session == nullptr || !session->is_string()) {
        throw unauthorized("token without sub or sid");
    }
    Principal principal{std::string(subject->as_string()), std::string(session->as_string())};
    db::Params params{principal.session_id, principal.user_id};
    auto active = co_await pool_.query(kSessionActive, params);
    if (!active.boolean(0, 0)) throw unauthorized("session revoked");
    co_return principal;
}

boost::asio::awaitable<json::object> AccountService::profile(const std::string& user_id) {
    db::Params params{user_id};
    auto rows = co_await pool_.query(kGetUser, params);
    if (rows.rows() == 0) throw unauthorized("account no longer exists");
    co_return user_json(rows);
}

boost::asio::awaitable<json::object> AccountService::update_profile(const std::string& user_id, const ProfileChange& change) {
    db::Params params{user_id, change.name, change.phone, change.locale};
    co_await pool_.query(kUpdateUser, params);
    co_return co_await profile(user_id);
}

boost::asio::awaitable<std::string> AccountService::export_data(const std::string& user_id, const ClientInfo& client,
                                                                 const std::string& request_id) {
    // An export is a heavy query; a stolen token should not be able to repeat it endlessly.
    ratelimit::Rule per_account{"export_account", config_.auth.export_limit_per_account, std::chrono::seconds(3600)};
    co_await limiter_.hit(per_account, user_id);
    co_return co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params params{user_id};
        auto rows = co_await connection.execute(kExportUser, params);
        // The export hands out personal data, so it is on record like an admin change.
        audit::Entry entry{"customer", std::nullopt, user_id, "customer.data_exported", "app_user", user_id,
                           std::nullopt, std::nullopt, optional_ip(client.ip), request_id};
        co_await audit::write(connection, entry);
        co_return std::string(rows.text(0, 0));
    });
}

boost::asio::awaitable<void> AccountService::anonymize(const Principal& principal,
                                                       const std::optional<std::string>& password,
                                                       const ClientInfo& client, const std::string& request_id) {
    db::Params params{principal.user_id};
    auto rows = co_await pool_.query(kGetPasswordHash, params);
    if (rows.rows() == 0) throw ApiError(ErrorCode::unauthorized, "account no longer exists");
    if (!rows.is_null(0, 0)) {
        // The confirmation is a password guess like a login, so it draws on the same
        // per-account budget.
        ratelimit::Rule per_account{"login_account", config_.auth.login_limit_per_account, kLoginAccountWindow};
        auto account_key = master_key_.digest(std::string(rows.text(0, 1)));
        co_await limiter_.hit(per_account, account_key);
        std::string hash(rows.text(0, 0));
        std::string confirmation = password.value_or("");
        auto verifying = [confirmation, hash] { return verify_password(confirmation, hash); };
        if (!co_await hashes_.run(verifying)) {
            throw ApiError(ErrorCode::invalid_credentials, "wrong password for account deletion");
        }
    }
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        co_await connection.execute(kAnonymizeUser, params);
        // The entry keeps only the account id: the data it erased must not live on here.
        audit::Entry entry{"customer", std::nullopt, principal.user_id, "customer.anonymized", "app_user",
                           principal.user_id, std::nullopt, std::nullopt, optional_ip(client.ip), request_id};
        co_await audit::write(connection, entry);
    });
    log::info("customer account anonymized", {{"user_id", principal.user_id}});
}

}  // namespace bijou::auth
