// The Mercado Pago and Stripe adapters against local mock servers (tests/tools/mock-*.mjs)
// on 127.0.0.1. The adapters are built directly on an io_context; no bijou server runs.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <memory>

#include "core/base64.hpp"
#include "payments/api_json.hpp"
#include "payments/mercadopago.hpp"
#include "payments/pix.hpp"
#include "payments/signatures.hpp"
#include "payments/stripe.hpp"
#include "support/stack.hpp"

using namespace bijou::payments;
using bijou::testing::ChildProcess;

namespace {

constexpr std::uint16_t kMercadoPagoPort = 18192;
constexpr std::uint16_t kStripePort = 18193;
constexpr const char* kMercadoPagoToken = "TEST-0000000000000000-000000-mock";
constexpr const char* kStripeKey = "sk_test_mock_0000000000000000";

std::string state_file(const std::string& name) {
    return bijou::testing::required_env("BIJOU_TEST_STATE") + "/" + name;
}

// One recorded request of a mock: method, path, lower-case headers and raw body.
struct Recorded {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    std::string body;
};

std::vector<Recorded> read_records(const std::string& file) {
    std::vector<Recorded> records;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        auto entry = boost::json::parse(line);
        Recorded record;
        record.method = text_at(entry, {"method"});
        record.path = text_at(entry, {"path"});
        record.body = text_at(entry, {"body"});
        for (const auto& [name, value] : entry.at("headers").as_object()) {
            if (value.is_string()) record.headers[std::string(name)] = std::string(value.as_string());
        }
        records.push_back(std::move(record));
    }
    return records;
}

// The last request a mock recorded whose body contains `marker`.
Recorded last_request_with(const std::string& file, const std::string& marker) {
    auto records = read_records(file);
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        if (it->body.find(marker) != std::string::npos) return *it;
    }
    ADD_FAILURE() << "no request in " << file << " contains " << marker;
    return {};
}

std::size_t count_requests_with(const std::string& file, const std::string& marker) {
    std::size_t count = 0;
    for (const auto& record : read_records(file)) {
        if (record.body.find(marker) != std::string::npos) ++count;
    }
    return count;
}

// Runs one coroutine to completion on a fresh io_context and returns its result.
template <typename T>
T run(boost::asio::awaitable<T> work) {
    boost::asio::io_context io;
    std::optional<T> result;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, T value) {
        failure = error;
        if (!error) result = std::move(value);
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
}

// Runs `work` and returns the ProviderError it throws; fails the test when it throws none.
template <typename T>
std::optional<ProviderError> provider_error_of(boost::asio::awaitable<T> work) {
    try {
        run(std::move(work));
    } catch (const ProviderError& error) {
        return error;
    }
    ADD_FAILURE() << "no ProviderError";
    return std::nullopt;
}

std::string new_payment_id() {
    static int counter = 0;
    char id[40];
    std::snprintf(id, sizeof id, "01a24400-0000-7000-8000-%012d",
                  ++counter + static_cast<int>(getpid() % 100000) * 1000);
    return id;
}

ChargeRequest charge(Method method) {
    ChargeRequest request;
    request.payment_id = new_payment_id();
    request.order_number = "BJ-2026-000123";
    request.amount = 12990;
    request.method = method;
    request.description = "Pedido BJ-2026-000123 - Bijou";
    request.payer_email = "marina@exemplo.com.br";
    request.payer_name = "Marina Alves";
    request.expires_at =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::minutes(30);
    return request;
}

bijou::PaymentsConfig mock_config() {
    bijou::PaymentsConfig config;
    config.mercadopago.base_url = "http://127.0.0.1:" + std::to_string(kMercadoPagoPort);
    config.mercadopago.access_token = kMercadoPagoToken;
    config.mercadopago.webhook_secret = "segredo-mercadopago";
    config.stripe.base_url = "http://127.0.0.1:" + std::to_string(kStripePort);
    config.stripe.secret_key = kStripeKey;
    config.stripe.webhook_secret = "whsec_segredo";
    config.timeout = std::chrono::milliseconds(5'000);
    return config;
}

// A port on 127.0.0.1 that nothing listens on: bound by this process, then closed.
std::uint16_t closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

void expect_png_base64(const std::string& text) {
    auto png = bijou::decode_base64(text);
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

class Payments : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto node = bijou::testing::required_env("BIJOU_TEST_NODE");
        auto tools = bijou::testing::required_env("BIJOU_SOURCE_DIR") + "/tests/tools/";
        mercadopago_records_ = state_file("mock-mercadopago-requests.jsonl");
        stripe_records_ = state_file("mock-stripe-requests.jsonl");
        std::remove(mercadopago_records_.c_str());
        std::remove(stripe_records_.c_str());
        mercadopago_mock_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{node, tools + "mock-mercadopago.mjs", std::to_string(kMercadoPagoPort),
                                     mercadopago_records_},
            std::map<std::string, std::string>{}, "mock-mercadopago");
        stripe_mock_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{node, tools + "mock-stripe.mjs", std::to_string(kStripePort), stripe_records_},
            std::map<std::string, std::string>{}, "mock-stripe");
        bijou::testing::wait_for_port(kMercadoPagoPort, std::chrono::seconds(10));
        bijou::testing::wait_for_port(kStripePort, std::chrono::seconds(10));
    }

    static void TearDownTestSuite() {
        mercadopago_mock_.reset();
        stripe_mock_.reset();
    }

    static inline std::unique_ptr<ChildProcess> mercadopago_mock_;
    static inline std::unique_ptr<ChildProcess> stripe_mock_;
    static inline std::string mercadopago_records_;
    static inline std::string stripe_records_;
};

}  // namespace

TEST_F(Payments, MercadoPagoPixCharge) {
    auto provider = make_mercadopago_provider(mock_config());
    EXPECT_EQ(provider->name(), "mercadopago");
    auto request = charge(Method::pix);
    auto result = run(provider->create_charge(request));

    EXPECT_FALSE(result.provider_payment_id.empty());
    EXPECT_EQ(result.status, ChargeStatus::pending);
    ASSERT_TRUE(result.pix.has_value());
    EXPECT_FALSE(result.boleto.has_value());
    EXPECT_NO_THROW(parse_pix_code(result.pix->copy_paste));
    EXPECT_LE(result.pix->copy_paste.size(), 512u);
    expect_png_base64(result.pix->qr_code_png_base64);
    EXPECT_EQ(result.pix->expires_at, request.expires_at);

    auto sent = last_request_with(mercadopago_records_, request.payment_id);
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.path, "/v1/payments");
    EXPECT_EQ(sent.headers["x-idempotency-key"], request.payment_id);
    EXPECT_EQ(sent.headers["authorization"], std::string("Bearer ") + kMercadoPagoToken);
    EXPECT_EQ(sent.headers["content-type"], "application/json");
    auto body = boost::json::parse(sent.body);
    EXPECT_EQ(sent.body.substr(0, 29), "{\"transaction_amount\":129.90,");
    EXPECT_EQ(text_at(body, {"payment_method_id"}), "pix");
    EXPECT_EQ(text_at(body, {"external_reference"}), "BJ-2026-000123");
}

TEST_F(Payments, MercadoPagoCardApprovedAndDeclined) {
    auto provider = make_mercadopago_provider(mock_config());
    auto approved_request = charge(Method::card);
    approved_request.card_token = "tok_approved_0001";
    approved_request.card_brand = "visa";
    auto approved = run(provider->create_charge(approved_request));
    EXPECT_EQ(approved.status, ChargeStatus::approved);
    EXPECT_TRUE(approved.failure_reason.empty());
    EXPECT_FALSE(approved.pix.has_value());
    auto approved_id = approved.provider_payment_id;
    EXPECT_EQ(run(provider->fetch_status(approved_id)), ChargeStatus::approved);

    auto declined_request = charge(Method::card);
    declined_request.card_token = "tok_rejected";
    declined_request.card_brand = "master";
    auto declined = run(provider->create_charge(declined_request));
    EXPECT_EQ(declined.status, ChargeStatus::declined);
    EXPECT_EQ(declined.failure_reason, "cc_rejected_insufficient_amount");
    auto declined_id = declined.provider_payment_id;
    EXPECT_EQ(run(provider->fetch_status(declined_id)), ChargeStatus::declined);

    auto sent = boost::json::parse(last_request_with(mercadopago_records_, declined_request.payment_id).body);
    EXPECT_EQ(text_at(sent, {"token"}), "tok_rejected");
    EXPECT_EQ(text_at(sent, {"installments"}), "1");
    EXPECT_EQ(text_at(sent, {"payment_method_id"}), "master");
}

TEST_F(Payments, MercadoPagoBoletoCharge) {
    auto provider = make_mercadopago_provider(mock_config());
    auto request = charge(Method::boleto);
    request.payer_cpf = "12345678909";
    auto result = run(provider->create_charge(request));
    EXPECT_EQ(result.status, ChargeStatus::pending);
    ASSERT_TRUE(result.boleto.has_value());
    EXPECT_EQ(result.boleto->barcode, "23791123400000129903381260000000001234567890");
    EXPECT_EQ(result.boleto->digitable_line, "23793381286000000000412345678903112340000012990");
    EXPECT_EQ(result.boleto->url.find("https://"), 0u);
    auto sent = boost::json::parse(last_request_with(mercadopago_records_, request.payment_id).body);
    EXPECT_EQ(text_at(sent, {"payment_method_id"}), "bolbradesco");
    EXPECT_EQ(text_at(sent, {"payer", "identification", "number"}), "12345678909");
    EXPECT_EQ(text_at(sent, {"payer", "last_name"}), "Alves");
}

TEST_F(Payments, MercadoPagoRetryKeepsPayment) {
    auto provider = make_mercadopago_provider(mock_config());
    auto request = charge(Method::pix);
    auto first = run(provider->create_charge(request));
    auto second = run(provider->create_charge(request));
    EXPECT_EQ(first.provider_payment_id, second.provider_payment_id);
    EXPECT_EQ(first.pix->copy_paste, second.pix->copy_paste);
    EXPECT_EQ(count_requests_with(mercadopago_records_, request.payment_id), 2u);

    auto changed = request;
    changed.amount = 13990;
    auto error = provider_error_of(provider->create_charge(changed));
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->retryable);
    EXPECT_EQ(error->http_status, 409);
}

TEST_F(Payments, MercadoPagoErrorsClassified) {
    auto provider = make_mercadopago_provider(mock_config());
    auto failing = charge(Method::pix);
    failing.payer_email = "fail-500@exemplo.com.br";
    auto server_error = provider_error_of(provider->create_charge(failing));
    ASSERT_TRUE(server_error.has_value());
    EXPECT_TRUE(server_error->retryable);
    EXPECT_EQ(server_error->http_status, 500);

    auto config = mock_config();
    config.mercadopago.access_token = "TEST-wrong";
    auto unauthorized_provider = make_mercadopago_provider(config);
    auto request = charge(Method::pix);
    auto unauthorized = provider_error_of(unauthorized_provider->create_charge(request));
    ASSERT_TRUE(unauthorized.has_value());
    EXPECT_FALSE(unauthorized->retryable);
    EXPECT_EQ(unauthorized->http_status, 401);

    std::string unknown_id = "999";
    auto missing = provider_error_of(provider->fetch_status(unknown_id));
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->retryable);
    EXPECT_EQ(missing->http_status, 404);
}

TEST_F(Payments, MercadoPagoTimeoutIsRetryable) {
    auto config = mock_config();
    config.timeout = std::chrono::milliseconds(500);
    auto provider = make_mercadopago_provider(config);
    auto request = charge(Method::pix);
    request.payer_email = "slow@exemplo.com.br";
    auto error = provider_error_of(provider->create_charge(request));
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->retryable);
    EXPECT_EQ(error->http_status, 0);
}

TEST_F(Payments, OversizeResponseRejected) {
    auto provider = make_mercadopago_provider(mock_config());
    std::string oversize_id = "oversize";
    auto error = provider_error_of(provider->fetch_status(oversize_id));
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->retryable);
    EXPECT_NE(std::string(error->what()).find("larger than 1048576 bytes"), std::string::npos) << error->what();
}

TEST_F(Payments, UnreachableProviderIsRetryable) {
    auto config = mock_config();
    config.stripe.base_url = "http://127.0.0.1:" + std::to_string(closed_port());
    auto provider = make_stripe_provider(config);
    auto request = charge(Method::pix);
    auto error = provider_error_of(provider->create_charge(request));
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->retryable);
}

TEST_F(Payments, MercadoPagoWebhookVerified) {
    auto provider = make_mercadopago_provider(mock_config());
    auto now = std::chrono::system_clock::now();
    auto ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::string body =
        R"({"action":"payment.updated","api_version":"v1","data":{"id":"1325938431"},"date_created":"2026-12-04T20:00:00Z",)"
        R"("id":117253811520,"live_mode":false,"type":"payment","user_id":"2025701502"})";
    std::string request_id = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
    std::map<std::string, std::string> headers{
        {"content-type", "application/json"},
        {"x-request-id", request_id},
        {"x-signature", mercadopago_sign("segredo-mercadopago", "1325938431", request_id, ts)}};
    auto event = provider->verify_webhook(headers, body, now);
    EXPECT_EQ(event.event_id, "117253811520");
    EXPECT_EQ(event.provider_payment_id, "1325938431");
    EXPECT_EQ(event.type, "payment.updated");
    EXPECT_FALSE(event.status.has_value());

    auto forged = body;
    forged.replace(forged.find("1325938431"), 10, "1325938432");
    EXPECT_THROW(provider->verify_webhook(headers, forged, now), SignatureError);
    EXPECT_THROW(provider->verify_webhook(headers, body, now + std::chrono::minutes(10)), SignatureError);
}

TEST_F(Payments, StripePixCharge) {
    auto provider = make_stripe_provider(mock_config());
    EXPECT_EQ(provider->name(), "stripe");
    auto request = charge(Method::pix);
    auto result = run(provider->create_charge(request));
    EXPECT_EQ(result.provider_payment_id.substr(0, 3), "pi_");
    EXPECT_EQ(result.status, ChargeStatus::pending);
    ASSERT_TRUE(result.pix.has_value());
    EXPECT_NO_THROW(parse_pix_code(result.pix->copy_paste));
    expect_png_base64(result.pix->qr_code_png_base64);
    EXPECT_EQ(result.pix->expires_at, request.expires_at);
    auto intent_id = result.provider_payment_id;
    EXPECT_EQ(run(provider->fetch_status(intent_id)), ChargeStatus::pending);

    auto sent = last_request_with(stripe_records_, request.payment_id);
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.path, "/v1/payment_intents");
    EXPECT_EQ(sent.headers["idempotency-key"], request.payment_id);
    EXPECT_EQ(sent.headers["authorization"], "Basic " + bijou::encode_base64(std::string(kStripeKey) + ":"));
    EXPECT_EQ(sent.headers["content-type"], "application/x-www-form-urlencoded");
    EXPECT_NE(sent.body.find("amount=12990&currency=brl&confirm=true"), std::string::npos);
    EXPECT_NE(sent.body.find("payment_method_types%5B%5D=pix"), std::string::npos);
}

TEST_F(Payments, StripeCardApprovedAndDeclined) {
    auto provider = make_stripe_provider(mock_config());
    auto approved_request = charge(Method::card);
    approved_request.card_token = "pm_card_visa";
    auto approved = run(provider->create_charge(approved_request));
    EXPECT_EQ(approved.status, ChargeStatus::approved);
    EXPECT_TRUE(approved.failure_reason.empty());
    auto approved_id = approved.provider_payment_id;
    EXPECT_EQ(run(provider->fetch_status(approved_id)), ChargeStatus::approved);

    auto declined_request = charge(Method::card);
    declined_request.card_token = "pm_card_chargeDeclined";
    auto declined = run(provider->create_charge(declined_request));
    EXPECT_EQ(declined.status, ChargeStatus::declined);
    EXPECT_EQ(declined.provider_payment_id.substr(0, 3), "pi_");
    EXPECT_EQ(declined.failure_reason, "generic_decline: Your card was declined.");
    auto declined_id = declined.provider_payment_id;
    EXPECT_EQ(run(provider->fetch_status(declined_id)), ChargeStatus::declined);
}

TEST_F(Payments, StripeRetryKeepsPaymentIntent) {
    auto provider = make_stripe_provider(mock_config());
    auto request = charge(Method::card);
    request.card_token = "pm_card_visa";
    auto first = run(provider->create_charge(request));
    auto second = run(provider->create_charge(request));
    EXPECT_EQ(first.provider_payment_id, second.provider_payment_id);
    EXPECT_EQ(count_requests_with(stripe_records_, request.payment_id), 2u);

    auto changed = request;
    changed.amount = 13990;
    auto error = provider_error_of(provider->create_charge(changed));
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->retryable);
    EXPECT_EQ(error->http_status, 400);
    EXPECT_NE(std::string(error->what()).find("idempotency_error"), std::string::npos) << error->what();
}

TEST_F(Payments, StripeErrorsClassified) {
    auto provider = make_stripe_provider(mock_config());
    auto failing = charge(Method::pix);
    failing.payer_email = "fail-500@exemplo.com.br";
    auto server_error = provider_error_of(provider->create_charge(failing));
    ASSERT_TRUE(server_error.has_value());
    EXPECT_TRUE(server_error->retryable);
    EXPECT_EQ(server_error->http_status, 500);

    auto config = mock_config();
    config.stripe.secret_key = "sk_test_wrong";
    auto unauthorized_provider = make_stripe_provider(config);
    auto request = charge(Method::pix);
    auto unauthorized = provider_error_of(unauthorized_provider->create_charge(request));
    ASSERT_TRUE(unauthorized.has_value());
    EXPECT_FALSE(unauthorized->retryable);
    EXPECT_EQ(unauthorized->http_status, 401);

    std::string unknown_id = "pi_desconhecido";
    auto missing = provider_error_of(provider->fetch_status(unknown_id));
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->retryable);
    EXPECT_EQ(missing->http_status, 404);
}

TEST_F(Payments, StripeWebhookVerified) {
    auto provider = make_stripe_provider(mock_config());
    auto now = std::chrono::system_clock::now();
    auto t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::string body = R"({
  "id": "evt_3QhY1bLkdIwHu7ix0d8nJ1sK",
  "object": "event",
  "api_version": "2024-06-20",
  "created": 1796000000,
  "data": {"object": {"id": "pi_3QhY1bLkdIwHu7ix0WmP0k1T", "object": "payment_intent", "amount": 12990,
                      "currency": "brl", "status": "succeeded", "payment_method_types": ["pix"]}},
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": null, "idempotency_key": null},
  "type": "payment_intent.succeeded"
})";
    std::map<std::string, std::string> headers{{"stripe-signature", stripe_sign("whsec_segredo", body, t)}};
    auto event = provider->verify_webhook(headers, body, now);
    EXPECT_EQ(event.event_id, "evt_3QhY1bLkdIwHu7ix0d8nJ1sK");
    EXPECT_EQ(event.provider_payment_id, "pi_3QhY1bLkdIwHu7ix0WmP0k1T");
    EXPECT_EQ(event.type, "payment_intent.succeeded");
    EXPECT_EQ(event.status, ChargeStatus::approved);

    auto edited = body;
    edited.replace(edited.find("\"amount\": 12990"), 15, "\"amount\": 12991");
    EXPECT_THROW(provider->verify_webhook(headers, edited, now), SignatureError);
}
