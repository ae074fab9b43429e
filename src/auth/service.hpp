#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "auth/hash_pool.hpp"
#include "auth/keys.hpp"
#include "auth/password.hpp"
#include "core/config.hpp"
#include "db/pool.hpp"
#include "ratelimit/limiter.hpp"

namespace bijou::auth {

// Audience of customer access tokens; admin tokens will carry another.
inline constexpr std::string_view kCustomerAudience = "bijou-storefront";

struct ClientInfo {
    std::string user_agent;
    std::string ip;
};

struct Registration {
    std::string email;
    std::string password;
    std::string name;
    std::optional<std::string> phone;
    // Digits only, already checked.
    std::optional<std::string> cpf;
    std::string locale = "pt-BR";
};

struct ProfileChange {
    std::optional<std::string> name;
    std::optional<std::string> phone;
    std::optional<std::string> locale;
};

// A person as an OpenID Connect provider vouched for them in a verified ID token.
struct ExternalIdentity {
    // Provider name from the configuration, such as "google".
    std::string provider;
    // The ID token's `iss` and `sub`.
    std::string issuer;
    std::string subject;
    // Lowercased; empty when the provider sent no e-mail.
    std::string email;
    bool email_verified = false;
    std::string name;
    std::string locale = "pt-BR";
};

// An access token and the refresh token of its session.
struct Tokens {
    std::string access_token;
    std::int64_t expires_in = 0;
    std::string refresh_token;
};

// The customer an access token stands for.
struct Principal {
    std::string user_id;
    std::string session_id;
};

// Customer accounts and their sessions: registration, login, refresh-token rotation with
// reuse detection, logout and the profile. Coroutines here take their arguments by const
// reference and callers pass named objects: GCC 12 can destroy a by-value argument of a
// coroutine twice when it is a temporary inside a co_await expression.
class AccountService {
public:
    AccountService(db::Pool& pool, KeyStore& keys, HashPool& hashes, ratelimit::Limiter& limiter,
                   const Config& config);

    // Creates the account and logs it in. Throws account_exists when the e-mail or CPF is taken.
    boost::asio::awaitable<std::pair<boost::json::object, Tokens>> register_customer(const Registration& registration,
                                                                                     const ClientInfo& client);

    // Throws invalid_credentials for an unknown e-mail, a wrong password or a locked account,
    // after the same Argon2id work in every case, so timing does not reveal which.
    // Throws rate_limited past the per-IP or per-account attempt budget. Wrong passwords
    // count towards a temporary lock of the account.
    boost::asio::awaitable<std::pair<boost::json::object, Tokens>> login(const std::string& email,
                                                                         const std::string& password,
                                                                         const ClientInfo& client);

    // Signs in through a social-login provider and opens a session. The account is the
    // one already linked to (provider, subject). Else it is the account with the same
    // e-mail, which gets linked, or else a new account with a verified e-mail and no
    // password. Linking and creating need an e-mail that the provider reports as
    // verified, or this throws oauth_email_unverified and changes nothing. Linking an
    // account whose e-mail was never verified also removes its password and ends its
    // sessions, because whoever set that password never proved they own the address.
    // Throws oauth_access_denied for a locked account.
    boost::asio::awaitable<std::pair<boost::json::object, Tokens>> sign_in_external(const ExternalIdentity& identity,
                                                                                    const ClientInfo& client);

    // Rotates a refresh token. A token used twice revokes its whole session (family),
    // because one of the two users is a thief.
    // Throws rate_limited past auth.refresh_limit_per_ip refreshes per client IP in 5 minutes.
    boost::asio::awaitable<Tokens> refresh(const std::string& refresh_token, const std::string& ip);

    boost::asio::awaitable<void> logout(const Principal& principal);
    boost::asio::awaitable<void> logout_by_refresh_token(const std::string& refresh_token);
    boost::asio::awaitable<void> logout_all(const Principal& principal);

    // Verifies a Bearer access token and checks its session is still open.
    // Throws unauthorized otherwise.
    boost::asio::awaitable<Principal> authenticate(std::string_view authorization_header);

    boost::asio::awaitable<boost::json::object> profile(const std::string& user_id);

    // Returns every stored fact about the customer as one JSON document (LGPD access).
    // Writes audit_log in the same transaction.
    boost::asio::awaitable<std::string> export_data(const std::string& user_id, const ClientInfo& client,
                                                    const std::string& request_id);

    // Erases the customer's personal data and ends every session, keeping orders (LGPD
    // deletion). Accounts with a password must confirm it; throws invalid_credentials
    // when it does not match.
    boost::asio::awaitable<void> anonymize(const Principal& principal, const std::optional<std::string>& password,
                                           const ClientInfo& client, const std::string& request_id);
    boost::asio::awaitable<boost::json::object> update_profile(const std::string& user_id, const ProfileChange& change);

private:
    boost::asio::awaitable<Tokens> open_session(db::Connection& connection, const std::string& user_id,
                                                const ClientInfo& client);
    boost::asio::awaitable<std::string> access_token(const std::string& user_id, const std::string& session_id);
    boost::asio::awaitable<const std::string*> dummy_hash();

    db::Pool& pool_;
    KeyStore& keys_;
    HashPool& hashes_;
    ratelimit::Limiter& limiter_;
    const Config& config_;
    PasswordPolicy policy_;
    MasterKey master_key_;
    std::string dummy_hash_;
};

// SHA-256 in hex, as refresh tokens are stored.
std::string sha256_hex(std::string_view token);
// The same hash in PostgreSQL's bytea text form (\x and the hex digits), for parameters.
std::string sha256_bytea(std::string_view token);

}  // namespace bijou::auth
