#include "admin/routes.hpp"

#include <boost/json.hpp>

#include "auth/jwt.hpp"
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

void add_routes(http::Pipeline& pipeline, AdminService& admins) {
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
