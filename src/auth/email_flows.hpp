#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "auth/hash_pool.hpp"
#include "auth/keys.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "db/pool.hpp"
#include "jobs/worker.hpp"
#include "mail/sender.hpp"
#include "ratelimit/limiter.hpp"

namespace bijou::auth {

// Lifetimes of the links the flows e-mail.
inline constexpr std::chrono::hours kVerifyEmailLifetime{48};
inline constexpr std::chrono::minutes kPasswordResetLifetime{60};

// The e-mailed flows of an account: address verification and password reset. Tokens are
// single use, expire, and are stored only as SHA-256 hashes. The API side here queues
// jobs and consumes tokens; the worker side (add_mail_handlers) issues the tokens and
// sends the messages.
class EmailFlows {
public:
    EmailFlows(db::Pool& pool, HashPool& hashes, ratelimit::Limiter& limiter, const Config& config);

    // Marks the account's address verified. Returns the user id. Throws invalid_email_token.
    boost::asio::awaitable<std::string> verify_email(const std::string& token);

    // Queues a new verification e-mail, which retires the previous link.
    boost::asio::awaitable<void> resend_verification(const std::string& user_id);

    // Queues a reset e-mail when an active account has the address. The response and its
    // timing do not depend on that, because the lookup runs in both cases and the e-mail
    // is sent by the worker.
    boost::asio::awaitable<void> request_password_reset(const std::string& email, const ClientInfo& client);

    // Sets a new password, ends every session of the account and lifts a lockout.
    // Throws invalid_email_token.
    boost::asio::awaitable<void> reset_password(const std::string& token, const std::string& password);

private:
    db::Pool& pool_;
    HashPool& hashes_;
    ratelimit::Limiter& limiter_;
    const Config& config_;
    MasterKey master_key_;
};

// Derives the token of a mail job's link: a keyed digest of the purpose and the job id.
// A job that runs twice therefore sends the same link, and no token is stored in the clear.
std::string email_token(const MasterKey& key, std::string_view purpose, std::string_view job_id);

// Registers the worker's handlers for mail.verify_email, mail.password_reset and
// mail.account_locked.
void add_mail_handlers(jobs::Worker& worker, db::Pool& pool, mail::Sender& sender, const Config& config);

}  // namespace bijou::auth
