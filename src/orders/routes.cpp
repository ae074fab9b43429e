#include "orders/routes.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "http/json_body.hpp"
#include "orders/state.hpp"

namespace bijou::orders {

namespace json = boost::json;
using http::beast_http::field;

namespace {

// The order version as a strong ETag: "3".
std::string etag_of(const json::object& order) {
    return "\"" + std::to_string(order.at("version").as_int64()) + "\"";
}

// Reads If-Match: "3" (or W/"3", or 3), or * for any version (returned as 0). Throws
// precondition_required, or invalid_parameter for a malformed value.
std::int64_t expected_version(const http::Request& request) {
    auto header = std::string(request.raw[field::if_match]);
    if (header.empty()) throw ApiError(ErrorCode::precondition_required, "If-Match missing");
    // "*" matches whatever the current version is (RFC 9110).
    if (header == "*") return 0;
    if (header.starts_with("W/")) header.erase(0, 2);
    if (header.size() >= 2 && header.front() == '"' && header.back() == '"') header = header.substr(1, header.size() - 2);
    std::int64_t version = 0;
    auto [end, error] = std::from_chars(header.data(), header.data() + header.size(), version);
    if (error != std::errc() || end != header.data() + header.size() || version < 1) {
        throw invalid_parameter("If-Match", "invalid_format");
    }
    return version;
}

}  // namespace

void add_routes(http::Pipeline& pipeline, Service& orders, auth::AccountService& accounts, admin::AdminService& admins) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;
    using admin::Permission;

    pipeline.add(Verb::get, "/v1/orders", [&orders, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        auto page = co_await orders.list_for_customer(principal.user_id, request.query);
        co_return http::json_response(request, json::serialize(page));
    });

    pipeline.add(Verb::get, "/v1/orders/{id}", [&orders, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        std::optional<std::string> owner = principal.user_id;
        auto order = co_await orders.get(std::string(request.params.get("id")), owner);
        co_return http::json_response(request, json::serialize(order));
    });

    pipeline.add(Verb::get, "/v1/admin/orders", [&orders, &admins](http::Request& request) -> Awaitable {
        co_await admins.authenticate(request.raw[field::authorization], Permission::orders_read);
        auto page = co_await orders.list_for_admin(request.query);
        co_return http::json_response(request, json::serialize(page));
    });

    pipeline.add(Verb::get, "/v1/admin/orders/{id}", [&orders, &admins](http::Request& request) -> Awaitable {
        co_await admins.authenticate(request.raw[field::authorization], Permission::orders_read);
        std::optional<std::string> any_owner;
        auto order = co_await orders.get(std::string(request.params.get("id")), any_owner);
        auto response = http::json_response(request, json::serialize(order));
        response.set(field::etag, etag_of(order));
        co_return response;
    });

    pipeline.add(Verb::patch, "/v1/admin/orders/{id}/status", [&orders, &admins](http::Request& request) -> Awaitable {
        auto principal = co_await admins.authenticate(request.raw[field::authorization], Permission::orders_update);
        http::BodyReader body(request, {"status", "tracking_code"});
        auto status = body.string("status", true, 20);
        if (status && !is_status(*status)) {
            body.add_error("status", "unknown_value", {{"allowed", "in_production, shipped, delivered, cancelled, refund_pending, refunded"}});
        }
        auto tracking = body.string("tracking_code", false, 40);
        if (tracking && tracking->find_first_not_of(" \t") == std::string::npos) body.add_error("tracking_code", "empty");
        if (tracking && status && *status != "shipped") body.add_error("tracking_code", "unknown_field");
        body.finish();
        // Money going back needs the refunds permission on top of orders_update.
        if ((*status == "refund_pending" || *status == "refunded") && !admin::role_has(principal.role, Permission::refunds)) {
            throw ApiError(ErrorCode::permission_denied, "refund moves need the refunds permission");
        }

        StatusChange change;
        change.order_id = std::string(request.params.get("id"));
        change.to = *status;
        change.tracking_code = tracking;
        change.expected_version = expected_version(request);
        change.admin_id = principal.admin_id;
        change.ip = request.remote_address;
        change.request_id = request.request_id;
        auto order = co_await orders.change_status(change);
        auto response = http::json_response(request, json::serialize(order));
        response.set(field::etag, etag_of(order));
        co_return response;
    });
}

}  // namespace bijou::orders
