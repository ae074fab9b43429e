#include "payments/routes.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "jobs/outbox.hpp"
#include "payments_sql.hpp"

namespace bijou::payments {

namespace json = boost::json;

namespace {

const db::Statement kInsertEvent{"payments.insert_payment_event", sql::k_insert_payment_event};
const db::Statement kSandboxPayment{"payments.sandbox_payment", sql::k_sandbox_payment};

std::string hex_bytea(std::string_view bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    hex.pop_back();
    return "\\x" + hex;
}

std::optional<std::string> status_name(const std::optional<ChargeStatus>& status) {
    if (!status) return std::nullopt;
    switch (*status) {
        case ChargeStatus::approved: return "approved";
        case ChargeStatus::declined: return "declined";
        case ChargeStatus::pending: return "pending";
    }
    return std::nullopt;
}

}  // namespace

void add_routes(http::Pipeline& pipeline, Provider& provider, db::Pool& pool, const Config& config) {
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(http::Verb::post, "/v1/webhooks/payments/{provider}", [&provider, &pool](http::Request& request) -> Awaitable {
        if (request.params.get("provider") != provider.name()) {
            throw ApiError(ErrorCode::route_not_found, "webhook for a provider that is not configured",
                           {{"path", request.path}});
        }
        std::map<std::string, std::string> headers;
        for (const auto& header : request.raw) {
            std::string name(header.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            headers[name] = std::string(header.value());
        }

        WebhookEvent event;
        try {
            event = provider.verify_webhook(headers, request.raw.body(), std::chrono::system_clock::now());
        } catch (const SignatureError& error) {
            log::warn("payment webhook rejected", {{"provider", provider.name()}, {"error", error.what()}});
            throw ApiError(ErrorCode::webhook_signature_invalid, error.what());
        }

        std::optional<std::string> payload;
        boost::system::error_code parse_error;
        auto parsed = json::parse(request.raw.body(), parse_error);
        if (!parse_error) payload = json::serialize(parsed);
        auto duplicate = co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<bool> {
            db::Params params{std::string(provider.name()), event.event_id, event.type.substr(0, 100), payload,
                              hex_bytea(request.raw.body())};
            auto inserted = co_await connection.execute(kInsertEvent, params);
            if (inserted.rows() == 0) co_return true;
            json::object job{{"event_row_id", inserted.text(0, 0)},
                             {"provider_payment_id", event.provider_payment_id}};
            if (auto status = status_name(event.status)) job["status"] = *status;
            co_await jobs::enqueue(connection, "payments.event", job);
            co_return false;
        });
        log::info("payment webhook received",
                  {{"provider", provider.name()}, {"event_id", event.event_id}, {"duplicate", duplicate}});
        json::object body{{"received", true}, {"duplicate", duplicate}};
        co_return http::json_response(request, json::serialize(body));
    });

    if (config.payments.provider != "sandbox") return;

    for (const char* outcome : {"approve", "decline"}) {
        std::string path = std::string("/v1/sandbox/payments/{id}/") + outcome;
        bool approved = std::string_view(outcome) == "approve";
        pipeline.add(http::Verb::post, path, [&pool, approved](http::Request& request) -> Awaitable {
            std::string payment_id(request.params.get("id"));
            if (!Uuid::parse(payment_id)) throw ApiError(ErrorCode::payment_not_found, "payment id is not a UUID");
            co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
                db::Params params{payment_id};
                auto rows = co_await connection.execute(kSandboxPayment, params);
                if (rows.rows() == 0 || rows.is_null(0, 0)) throw ApiError(ErrorCode::payment_not_found, "no sandbox payment");
                json::object job{{"payment_id", payment_id},
                                 {"provider_payment_id", std::string(rows.text(0, 0))},
                                 {"approved", approved}};
                co_await jobs::enqueue(connection, "sandbox.webhook", job);
            });
            json::object body{{"payment_id", payment_id}, {"outcome", approved ? "approved" : "declined"}};
            co_return http::json_response(request, json::serialize(body), http::Status::accepted);
        });
    }
}

}  // namespace bijou::payments
