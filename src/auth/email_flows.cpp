#include "auth/email_flows.hpp"

#include <boost/json.hpp>

#include "auth/password.hpp"
#include "auth_sql.hpp"
#include "core/log.hpp"
#include "jobs/outbox.hpp"
#include "mail/template.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

const db::Statement kMailRecipient{"auth.mail_recipient", sql::k_mail_recipient};
const db::Statement kIssueEmailToken{"auth.issue_email_token", sql::k_issue_email_token};
const db::Statement kConsumeEmailToken{"auth.consume_email_token", sql::k_consume_email_token};
const db::Statement kMarkEmailVerified{"auth.mark_email_verified", sql::k_mark_email_verified};
const db::Statement kResetPassword{"auth.reset_password", sql::k_reset_password};
const db::Statement kFindActiveUser{"auth.find_active_user", sql::k_find_active_user};
const db::Statement kRevokeAllSessions{"auth.revoke_user_sessions", sql::k_revoke_user_sessions};
const db::Statement kEmailTokenUsable{"auth.email_token_usable", sql::k_email_token_usable};

constexpr std::chrono::seconds kHourWindow{3600};
constexpr std::chrono::seconds kResetTokenWindow{5 * 60};

// A token as e-mailed is 64 hex digits; anything else cannot match and skips the lookup.
bool is_token_shaped(std::string_view token) {
    return token.size() == 64 && std::ranges::all_of(token, [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

struct Recipient {
    std::string email;
    std::string name;
    std::string locale;
    bool email_verified = false;
    std::string locked_until;
    std::int64_t locked_minutes = 0;
};

boost::asio::awaitable<std::optional<Recipient>> find_recipient(db::Pool& pool, const std::string& user_id) {
    db::Params params{user_id};
    auto rows = co_await pool.query(kMailRecipient, params);
    if (rows.rows() == 0) co_return std::nullopt;
    Recipient recipient{std::string(rows.text(0, 0)), std::string(rows.text(0, 1)), std::string(rows.text(0, 2)),
                        rows.boolean(0, 3), std::string(rows.optional_text(0, 4).value_or("")), rows.int64(0, 5)};
    co_return recipient;
}

std::string greeting_name(const Recipient& recipient) {
    if (!recipient.name.empty()) return recipient.name;
    return recipient.locale == "en" ? "there" : "cliente";
}

// Sends one templated message to the account's current address.
class MailJobs {
public:
    MailJobs(db::Pool& pool, mail::Sender& sender, const Config& config)
        : pool_(pool), sender_(sender), config_(config), master_key_(MasterKey::from_config(config)) {}

    boost::asio::awaitable<void> verify_email(const jobs::Job& job) {
        auto user_id = jobs::payload_string(job, "user_id", true);
        auto recipient = co_await find_recipient(pool_, user_id);
        if (!recipient || recipient->email_verified) co_return;
        auto link = co_await issue_link(job, user_id, *recipient, "verify_email", kVerifyEmailLifetime, "/verificar-email");
        if (!link) co_return;
        std::map<std::string, std::string> values{{"name", greeting_name(*recipient)},
                                                  {"link", *link},
                                                  {"hours", std::to_string(kVerifyEmailLifetime.count())}};
        co_await send(*recipient, "verify_email", values);
    }

    boost::asio::awaitable<void> password_reset(const jobs::Job& job) {
        auto user_id = jobs::payload_string(job, "user_id", true);
        auto recipient = co_await find_recipient(pool_, user_id);
        if (!recipient) co_return;
        auto link = co_await issue_link(job, user_id, *recipient, "password_reset", kPasswordResetLifetime, "/redefinir-senha");
        if (!link) co_return;
        std::map<std::string, std::string> values{{"name", greeting_name(*recipient)},
                                                  {"link", *link},
                                                  {"minutes", std::to_string(kPasswordResetLifetime.count())}};
        co_await send(*recipient, "password_reset", values);
    }

    boost::asio::awaitable<void> account_locked(const jobs::Job& job) {
        auto user_id = jobs::payload_string(job, "user_id", true);
        auto recipient = co_await find_recipient(pool_, user_id);
        // A lock that ended before the job ran is not worth an alarm.
        if (!recipient || recipient->locked_minutes <= 0) co_return;
        std::map<std::string, std::string> values{{"name", greeting_name(*recipient)},
                                                  {"link", config_.mail.link_base_url + "/esqueci-a-senha"},
                                                  {"minutes", std::to_string(recipient->locked_minutes)},
                                                  {"until", recipient->locked_until}};
        co_await send(*recipient, "account_locked", values);
    }

private:
    // Returns the link to e-mail, or nullopt when this job's link was already retired by a
    // newer one or used, in which case nothing should be sent.
    boost::asio::awaitable<std::optional<std::string>> issue_link(const jobs::Job& job, const std::string& user_id,
                                                                  const Recipient& recipient, std::string_view purpose,
                                                                  std::chrono::seconds lifetime, std::string_view path) {
        auto token = email_token(master_key_, purpose, job.id);
        db::Params params{user_id, std::string(purpose), sha256_bytea(token), recipient.email,
                          std::to_string(lifetime.count())};
        auto rows = co_await pool_.query(kIssueEmailToken, params);
        if (!rows.boolean(0, 0)) {
            log::info("mail not sent: a newer link replaced this one, or it was used",
                      {{"job", job.id}, {"user_id", user_id}, {"purpose", purpose}});
            co_return std::nullopt;
        }
        co_return config_.mail.link_base_url + std::string(path) + "?token=" + token;
    }

    boost::asio::awaitable<void> send(const Recipient& recipient, std::string_view name,
                                      const std::map<std::string, std::string>& values) {
        auto message = mail::compose(config_.mail, {recipient.email, recipient.name},
                                     mail::render(name, recipient.locale, values));
        co_await sender_.send(message);
    }

    db::Pool& pool_;
    mail::Sender& sender_;
    const Config& config_;
    MasterKey master_key_;
};

}  // namespace

std::string email_token(const MasterKey& key, std::string_view purpose, std::string_view job_id) {
    return key.digest("email-token|" + std::string(purpose) + "|" + std::string(job_id));
}

EmailFlows::EmailFlows(db::Pool& pool, HashPool& hashes, ratelimit::Limiter& limiter, const Config& config)
    : pool_(pool), hashes_(hashes), limiter_(limiter), config_(config), master_key_(MasterKey::from_config(config)) {}

boost::asio::awaitable<std::string> EmailFlows::verify_email(const std::string& token) {
    if (!is_token_shaped(token)) throw ApiError(ErrorCode::invalid_email_token, "verification token malformed");
    co_return co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params consume{sha256_bytea(token), std::string("verify_email")};
        auto rows = co_await connection.execute(kConsumeEmailToken, consume);
        if (rows.rows() == 0) throw ApiError(ErrorCode::invalid_email_token, "verification token unknown, used or expired");
        std::string user_id(rows.text(0, 0));
        db::Params verified{user_id};
        co_await connection.execute(kMarkEmailVerified, verified);
        log::info("e-mail address verified", {{"user_id", user_id}});
        co_return user_id;
    });
}

boost::asio::awaitable<void> EmailFlows::resend_verification(const std::string& user_id) {
    ratelimit::Rule per_account{"verify_account", config_.auth.reset_limit_per_account, kHourWindow};
    co_await limiter_.hit(per_account, user_id);
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        json::object payload{{"user_id", user_id}};
        co_await jobs::enqueue(connection, "mail.verify_email", payload);
    });
}

boost::asio::awaitable<void> EmailFlows::request_password_reset(const std::string& email, const ClientInfo& client) {
    ratelimit::Rule per_ip{"reset_ip", config_.auth.reset_limit_per_ip, kHourWindow};
    co_await limiter_.hit(per_ip, client.ip);
    // Counted for unknown addresses too, so the budget does not reveal which exist.
    ratelimit::Rule per_account{"reset_account", config_.auth.reset_limit_per_account, kHourWindow};
    auto account_key = master_key_.digest(email);
    co_await limiter_.hit(per_account, account_key);

    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        db::Params params{email};
        auto rows = co_await connection.execute(kFindActiveUser, params);
        if (rows.rows() == 0) co_return;
        json::object payload{{"user_id", std::string(rows.text(0, 0))}};
        co_await jobs::enqueue(connection, "mail.password_reset", payload);
    });
}

boost::asio::awaitable<void> EmailFlows::reset_password(const std::string& token, const std::string& password,
                                                        const ClientInfo& client) {
    // Counted before any work, so guessing tokens costs neither a lookup nor a hash.
    ratelimit::Rule per_ip{"reset_token_ip", config_.auth.login_limit_per_ip, kResetTokenWindow};
    co_await limiter_.hit(per_ip, client.ip);
    if (!is_token_shaped(token)) throw ApiError(ErrorCode::invalid_email_token, "reset token malformed");
    // Checked before hashing, so an unknown token costs no Argon2id work. The token is used
    // only in the transaction below, which checks it again.
    db::Params check{sha256_bytea(token), std::string("password_reset")};
    if ((co_await pool_.query(kEmailTokenUsable, check)).rows() == 0) {
        throw ApiError(ErrorCode::invalid_email_token, "reset token unknown, used or expired");
    }
    PasswordPolicy policy;
    auto hashing = [password, policy] { return hash_password(password, policy); };
    auto hash = co_await hashes_.run(hashing);
    auto email = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params consume{sha256_bytea(token), std::string("password_reset")};
        auto rows = co_await connection.execute(kConsumeEmailToken, consume);
        if (rows.rows() == 0) throw ApiError(ErrorCode::invalid_email_token, "reset token unknown, used or expired");
        std::string user_id(rows.text(0, 0));
        db::Params reset{user_id, hash};
        auto account = co_await connection.execute(kResetPassword, reset);
        db::Params revoke{user_id, std::string("password_changed")};
        co_await connection.execute(kRevokeAllSessions, revoke);
        log::info("password reset by e-mail link", {{"user_id", user_id}});
        co_return std::string(account.text(0, 0));
    });
    // The owner proved control of the address, so the login budget of the account starts
    // again: a customer locked out by a guesser can log in at once with the new password.
    co_await limiter_.clear("login_account", master_key_.digest(email));
}

void add_mail_handlers(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config) {
    auto mail_jobs = std::make_shared<MailJobs>(pool, sender, config);
    worker.handle("mail.verify_email", [mail_jobs](const jobs::Job& job) { return mail_jobs->verify_email(job); });
    worker.handle("mail.password_reset", [mail_jobs](const jobs::Job& job) { return mail_jobs->password_reset(job); });
    worker.handle("mail.account_locked", [mail_jobs](const jobs::Job& job) { return mail_jobs->account_locked(job); });
}

}  // namespace bijou::auth
