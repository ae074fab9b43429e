// AccountService::sign_in_external: accounts reached through a social-login provider.

#include <boost/json.hpp>

#include "audit/audit.hpp"
#include "auth/service.hpp"
#include "auth_sql.hpp"
#include "core/log.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

const db::Statement kFindOAuthIdentity{"auth.find_oauth_identity", sql::k_find_oauth_identity};
const db::Statement kTouchOAuthIdentity{"auth.touch_oauth_identity", sql::k_touch_oauth_identity};
const db::Statement kFindUserForLink{"auth.find_user_for_link", sql::k_find_user_for_link};
const db::Statement kInsertOAuthIdentity{"auth.insert_oauth_identity", sql::k_insert_oauth_identity};
const db::Statement kInsertExternalUser{"auth.insert_external_user", sql::k_insert_external_user};
const db::Statement kVerifyLinkedEmail{"auth.verify_linked_email", sql::k_verify_linked_email};
const db::Statement kRevokeUserSessions{"auth.revoke_user_sessions", sql::k_revoke_user_sessions};
const db::Statement kRecordLogin{"auth.record_login", sql::k_record_login};

std::optional<std::string> optional_text(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return text;
}

}  // namespace

boost::asio::awaitable<std::pair<json::object, Tokens>> AccountService::sign_in_external(const ExternalIdentity& identity,
                                                                                         const ClientInfo& client) {
    std::map<std::string, std::string> provider_arg{{"provider", identity.provider}};
    auto result = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::pair<std::string, Tokens>> {
        db::Params find_params{identity.provider, identity.subject};
        auto linked = co_await connection.execute(kFindOAuthIdentity, find_params);
        std::string user_id;
        if (linked.rows() == 1) {
            // A subject is unique only within its issuer. A provider name pointed at another
            // issuer must not reach the accounts the old issuer's subjects are linked to.
            if (linked.text(0, 1) != identity.issuer) {
                throw ApiError(ErrorCode::oauth_invalid_id_token, "issuer differs from the one of the linked identity", provider_arg);
            }
            if (!linked.boolean(0, 2)) throw ApiError(ErrorCode::oauth_access_denied, "linked account is not active", provider_arg);
            user_id = std::string(linked.text(0, 0));
            db::Params touch_params{identity.provider, identity.subject, optional_text(identity.email),
                                    std::string(identity.email_verified ? "true" : "false")};
            co_await connection.execute(kTouchOAuthIdentity, touch_params);
        } else {
            if (identity.email.empty() || !identity.email_verified) {
                throw ApiError(ErrorCode::oauth_email_unverified,
                               identity.email.empty() ? "provider sent no e-mail" : "provider reports the e-mail as unverified",
                               provider_arg);
            }
            db::Params email_params{identity.email};
            auto existing = co_await connection.execute(kFindUserForLink, email_params);
            if (existing.rows() == 1) {
                if (!existing.boolean(0, 1)) throw ApiError(ErrorCode::oauth_access_denied, "account to link is not active", provider_arg);
                user_id = std::string(existing.text(0, 0));
                bool was_verified = existing.boolean(0, 2);
                bool had_password = existing.boolean(0, 3);
                db::Params user_params{user_id};
                co_await connection.execute(kVerifyLinkedEmail, user_params);
                if (!was_verified) {
                    db::Params revoke_params{user_id, std::string("password_changed")};
                    co_await connection.execute(kRevokeUserSessions, revoke_params);
                }
                json::object after{{"provider", identity.provider},
                                   {"password_removed", !was_verified && had_password},
                                   {"sessions_revoked", !was_verified}};
                audit::Entry entry{"customer", std::nullopt, user_id, "auth.oauth_linked", "app_user", user_id,
                                   std::nullopt, json::serialize(after), optional_text(client.ip), std::nullopt};
                co_await audit::write(connection, entry);
                log::info("social login linked to an existing account",
                          {{"user_id", user_id}, {"provider", identity.provider}, {"password_removed", !was_verified && had_password}});
            } else {
                db::Params insert_params{identity.email, identity.name, identity.locale};
                auto inserted = co_await connection.execute(kInsertExternalUser, insert_params);
                if (inserted.rows() == 0) {
                    throw ApiError(ErrorCode::service_unavailable, "e-mail registered concurrently with a social login");
                }
                user_id = std::string(inserted.text(0, 0));
                log::info("customer registered through social login", {{"user_id", user_id}, {"provider", identity.provider}});
            }
            db::Params link_params{user_id, identity.provider, identity.issuer, identity.subject, identity.email,
                                   std::string("true")};
            auto link = co_await connection.execute(kInsertOAuthIdentity, link_params);
            if (link.rows() == 0) throw ApiError(ErrorCode::service_unavailable, "same social login completed concurrently");
        }

        db::Params login_params{user_id};
        co_await connection.execute(kRecordLogin, login_params);
        auto tokens = co_await open_session(connection, user_id, client);
        co_return std::make_pair(user_id, tokens);
    });
    co_return std::make_pair(co_await profile(result.first), result.second);
}

}  // namespace bijou::auth
