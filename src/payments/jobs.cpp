#include "payments/jobs.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/log.hpp"
#include "payments/processing.hpp"
#include "payments/sandbox.hpp"
#include "payments/signatures.hpp"
#include "payments_sql.hpp"

namespace bijou::payments {

namespace json = boost::json;

namespace {

const db::Statement kFindPayment{"payments.find_payment", sql::k_find_payment};
const db::Statement kFinishEvent{"payments.finish_payment_event", sql::k_finish_payment_event};
const db::Statement kChargeRequest{"payments.charge_request", sql::k_charge_request};

constexpr int kExpiryBatch = 100;

}  // namespace

void add_payment_jobs(jobs::Worker& worker, db::Pool& pool, Provider& provider, ApiClient& client, const Config& config) {
    worker.handle("payments.event", [&pool, &provider](const jobs::Job& job) -> boost::asio::awaitable<void> {
        auto payload = jobs::payload_object(job);
        auto event_row_id = jobs::payload_string(job, "event_row_id", true);
        auto provider_payment_id = jobs::payload_string(job, "provider_payment_id");

        db::Params find{std::string(provider.name()), provider_payment_id};
        auto rows = co_await pool.query(kFindPayment, find);
        std::optional<std::string> payment_id;
        if (rows.rows() == 1) payment_id = std::string(rows.text(0, 0));
        // A sandbox id embeds ours, so an event that outran the checkout's update of the
        // payment row still finds it.
        if (!payment_id && provider.name() == "sandbox" && provider_payment_id.starts_with("sbx_")) {
            payment_id = provider_payment_id.substr(4);
        }
        if (!payment_id) {
            db::Params failed{event_row_id, std::nullopt, std::string("payment not known yet")};
            co_await pool.query(kFinishEvent, failed);
            throw std::runtime_error("no payment for " + provider_payment_id + " yet");
        }

        ChargeStatus status = ChargeStatus::pending;
        const auto* named = payload.if_contains("status");
        if (named && named->is_string() && named->as_string() == "approved") status = ChargeStatus::approved;
        else if (named && named->is_string() && named->as_string() == "declined") status = ChargeStatus::declined;
        else if (!named) status = co_await provider.fetch_status(provider_payment_id);

        bool unknown = false;
        try {
            co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
                if (status != ChargeStatus::pending) {
                    std::string reason = status == ChargeStatus::declined ? "declined" : "";
                    co_await apply_status(connection, *payment_id, status, reason);
                }
                db::Params done{event_row_id, *payment_id, std::nullopt};
                co_await connection.execute(kFinishEvent, done);
            });
        } catch (const ApiError& error) {
            if (error.code() != ErrorCode::payment_not_found) throw;
            unknown = true;
        }
        if (unknown) {
            db::Params failed{event_row_id, std::nullopt, std::string("payment not known yet")};
            co_await pool.query(kFinishEvent, failed);
            throw std::runtime_error("no payment for " + provider_payment_id + " yet");
        }
    });

    worker.handle("payments.charge", [&pool, &provider, &config](const jobs::Job& job) -> boost::asio::awaitable<void> {
        // A Pix or boleto charge the checkout could not get from the provider: ask again with
        // the same idempotency key (the payment id) until it arrives or the order expires.
        auto payment_id = jobs::payload_string(job, "payment_id", true);
        db::Params params{payment_id, std::to_string(config.checkout.boleto_settlement.count())};
        auto rows = co_await pool.query(kChargeRequest, params);
        if (rows.rows() == 0) co_return;  // Charged meanwhile, or the order is no longer waiting.

        ChargeRequest charge;
        charge.payment_id = payment_id;
        std::string method(rows.text(0, 0));
        charge.method = method == "boleto" ? Method::boleto : Method::pix;
        charge.amount = rows.int64(0, 1);
        charge.order_number = rows.text(0, 2);
        charge.description = "Pedido " + charge.order_number + " - Bijou";
        charge.payer_email = rows.text(0, 3);
        charge.payer_name = rows.text(0, 4);
        if (auto cpf = rows.optional_text(0, 5)) charge.payer_cpf = std::string(*cpf);
        charge.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(rows.int64(0, 6)));
        std::optional<std::string> due_date;
        if (charge.method == Method::boleto) due_date = std::string(rows.text(0, 7));

        ChargeResult result;
        std::string failure;
        bool permanent = false;
        try {
            result = co_await provider.create_charge(charge);
        } catch (const ProviderError& error) {
            failure = error.what();
            permanent = !error.retryable;
        }
        if (permanent) throw jobs::PermanentFailure(failure);
        if (!failure.empty()) throw std::runtime_error(failure);
        co_await record_charge(pool, payment_id, result, due_date);
    });

    worker.handle("sandbox.webhook", [&client, &config](const jobs::Job& job) -> boost::asio::awaitable<void> {
        auto payload = jobs::payload_object(job);
        auto payment_id = jobs::payload_string(job, "payment_id", true);
        auto provider_payment_id = jobs::payload_string(job, "provider_payment_id");
        const auto* approved = payload.if_contains("approved");
        bool approve = approved && approved->is_bool() && approved->as_bool();

        auto body = sandbox_event_body(job.id, provider_payment_id, payment_id, approve);
        auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
        ApiRequest request;
        request.method = "POST";
        request.url = config.http.public_base_url + "/v1/webhooks/payments/sandbox";
        request.headers = {"Content-Type: application/json",
                           "Stripe-Signature: " + stripe_sign(config.payments.sandbox_webhook_secret, body, now.count())};
        request.body = body;
        auto response = co_await client.send(request);
        if (response.status < 200 || response.status >= 300) {
            throw std::runtime_error("sandbox webhook returned HTTP " + std::to_string(response.status));
        }
    });

    worker.every("orders.expire", config.checkout.expiry_sweep, [&pool]() -> boost::asio::awaitable<void> {
        while (co_await expire_due_orders(pool, kExpiryBatch) == kExpiryBatch) {
        }
    });
}

}  // namespace bijou::payments
