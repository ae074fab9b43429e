#include "admin/routes.hpp"

#include <boost/json.hpp>

#include "auth/jwt.hpp"
#include "auth/routes.hpp"
#include "core/contact.hpp"
#include "auth/password.hpp"
#include "core/ids.hpp"
#include "http/json_body.hpp"

namespace bijou::admin {

namespace json = boost::json;
using http::beast_http::field;

namespace {

std::optional<std::pair<std::string, std::string>> decode_audit_cursor(std::string_view token) {
    auto plain = auth::base64url_decode(token);
    if (!plain) return std::nullopt;
    auto bar = plain->find('|');
    if (bar == std::string::npos) return std::nullopt;
    auto micros = plain->substr(0, bar);
    auto id = plain->substr(bar + 1);
    if (micros.empty() || micros.size() > 18 || micros.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    if (!Uuid::parse(id)) return std::nullopt;
    return std::make_pair(micros, id);
}

AuditQuery parse_audit_query(const http::QueryParams& params) {
    AuditQuery query;
    auto checked_name = [&](const char* name) -> std::optional<std::string> {
        auto value = params.get(name);
        if (value && (value->empty() || value->size() > 100 ||
                      value->find_first_not_of("abcdefghijklmnopqrstuvwxyz_.") != std::string::npos)) {
            throw invalid_parameter(name, "invalid_format");
        }
        return value;
    };
    query.action = checked_name("action");
    query.entity_type = checked_name("entity_type");
    if (auto entity_id = params.get("entity_id")) {
        if (entity_id->empty() || entity_id->size() > 200) throw invalid_parameter("entity_id", "invalid_format");
        query.entity_id = entity_id;
    }
    if (auto actor = params.get("actor_admin_id")) {
        if (!Uuid::parse(*actor)) throw invalid_parameter("actor_admin_id", "invalid_format");
        query.actor_admin_id = actor;
    }
    if (auto limit = params.get("limit")) {
        int value = 0;
        try {
            std::size_t used = 0;
            value = std::stoi(*limit, &used);
            if (used != limit->size()) value = 0;
        } catch (const std::exception&) {
            value = 0;
        }
        if (value < 1 || value > 100) throw invalid_parameter("limit", "out_of_range", {{"min", "1"}, {"max", "100"}});
        query.limit = value;
    }
    if (auto cursor = params.get("cursor")) {
        query.after = decode_audit_cursor(*cursor);
        if (!query.after) throw invalid_parameter("cursor", "malformed_cursor");
    }
    return query;
}

}  // namespace

void add_routes(http::Pipeline& pipeline, AdminService& admins, AdminDirectory& directory) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(Verb::post, "/v1/admin/auth/login", [&admins](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"email", "password", "totp"});
        auto email = body.string("email", true, 254);
        auto password = body.string("password", true, 1024);
        auto code = body.string("totp", true, 6);
        body.finish();
        std::string normalized = *email;
        for (auto& c : normalized) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auth::ClientInfo client{std::string(request.raw[field::user_agent]), request.remote_address};
        auto result = co_await admins.login(normalized, *password, *code, client, request.request_id);
        co_return http::json_response(request, json::serialize(result));
    });

    pipeline.add(Verb::post, "/v1/admin/auth/refresh", [&admins](http::Request& request) -> Awaitable {
        http::BodyReader body(request, {"refresh_token"});
        auto token = body.string("refresh_token", true, 256);
        body.finish();
        auto result = co_await admins.refresh(*token, request.remote_address, request.request_id);
        co_return http::json_response(request, json::serialize(result));
    });

    pipeline.add(Verb::post, "/v1/admin/auth/logout", [&admins](http::Request& request) -> Awaitable {
        // Any signed-in admin may end their own session.
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::catalog_read);
        co_await admins.logout(principal, request.remote_address, request.request_id);
        co_return http::Response{http::Status::no_content, request.raw.version()};
    });

    pipeline.add(Verb::get, "/v1/admin/admins", [&admins, &directory](http::Request& request) -> Awaitable {
        co_await admins.authenticate(request.raw[field::authorization], Permission::admins_manage);
        auto list = co_await directory.list();
        co_return http::json_response(request, json::serialize(list));
    });

    pipeline.add(Verb::post, "/v1/admin/admins", [&admins, &directory](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::admins_manage);
        http::BodyReader body(request, {"email", "name", "role", "password"});
        auto email = body.string("email", true, 254);
        if (email && !is_plausible_email(*email)) body.add_error("email", "invalid_email");
        auto name = body.string("name", true, 200);
        if (name && name->find_first_not_of(" \t") == std::string::npos) body.add_error("name", "empty");
        auto role_text = body.string("role", true, 20);
        std::optional<Role> role;
        if (role_text) {
            role = parse_role(*role_text);
            if (!role) body.add_error("role", "unknown_value", {{"allowed", "owner, manager, catalog_editor, order_operator, support"}});
        }
        auto password = body.string("password", true, auth::PasswordPolicy{}.max_length);
        auth::check_password_field(body, password);
        body.finish();
        NewAdmin admin;
        admin.email = *email;
        for (auto& c : admin.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        admin.name = *name;
        admin.role = *role;
        admin.password = *password;
        Actor actor{principal.admin_id, request.remote_address, request.request_id};
        auto created = co_await directory.create(actor, admin);
        co_return http::json_response(request, json::serialize(created), http::Status::created);
    });

    pipeline.add(Verb::patch, "/v1/admin/admins/{id}", [&admins, &directory](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::admins_manage);
        http::BodyReader body(request, {"role", "status"});
        AdminChange change;
        if (auto role = body.string("role", false, 20)) {
            change.role = parse_role(*role);
            if (!change.role) body.add_error("role", "unknown_value", {{"allowed", "owner, manager, catalog_editor, order_operator, support"}});
        }
        change.status = body.string("status", false, 10);
        if (change.status && *change.status != "active" && *change.status != "disabled") {
            body.add_error("status", "unknown_value", {{"allowed", "active, disabled"}});
        }
        body.finish();
        Actor actor{principal.admin_id, request.remote_address, request.request_id};
        auto updated = co_await directory.update(actor, std::string(request.params.get("id")), change);
        co_return http::json_response(request, json::serialize(updated));
    });

    pipeline.add(Verb::post, "/v1/admin/admins/{id}/totp", [&admins, &directory](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::admins_manage);
        Actor actor{principal.admin_id, request.remote_address, request.request_id};
        auto result = co_await directory.reset_totp(actor, std::string(request.params.get("id")));
        co_return http::json_response(request, json::serialize(result));
    });

    pipeline.add(Verb::get, "/v1/admin/me", [&admins](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::catalog_read);
        json::object body{{"id", principal.admin_id}, {"role", role_name(principal.role)}};
        co_return http::json_response(request, json::serialize(body));
    });

    pipeline.add(Verb::get, "/v1/admin/audit-log", [&admins](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::audit_log_read);
        (void)principal;
        auto query = parse_audit_query(request.query);
        auto page = co_await admins.audit_log(query);
        co_return http::json_response(request, json::serialize(page));
    });
}

}  // namespace bijou::admin
