// Checkout through a real provider adapter: `bijou serve` and `bijou worker` configured for
// Mercado Pago, pointed at the local mock of its API. Covers a Pix charge made at checkout,
// and a provider outage during checkout: the order keeps its stock and the worker gets the
// charge later with the same idempotency key.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18095;
constexpr std::uint16_t kMockPort = 18195;
constexpr const char* kToken = "TEST-0000000000000000-000000-mock";

std::string database_url;
fs::path records;
std::unique_ptr<bijou::testing::ChildProcess> mock;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::unique_ptr<bijou::testing::ChildProcess> worker;

class ProviderEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        records = fs::path(bijou::testing::required_env("BIJOU_TEST_STATE")) / "checkout-mercadopago.jsonl";
        fs::remove(records);
        mock = std::make_unique<bijou::testing::ChildProcess>(
            std::vector<std::string>{bijou::testing::required_env("BIJOU_TEST_NODE"),
                                     bijou::testing::required_env("BIJOU_SOURCE_DIR") + "/tests/tools/mock-mercadopago.mjs",
                                     std::to_string(kMockPort), records.string()},
            std::map<std::string, std::string>{}, "checkout-mock-mercadopago");
        bijou::testing::wait_for_port(kMockPort, std::chrono::seconds(15));

        auto env = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_checkout_provider");
        env["DATABASE_URL"] = database_url;
        env["REDIS_URL"] = "redis://127.0.0.1:" + bijou::testing::required_env("BIJOU_TEST_REDIS_PORT") + "/7";
        env["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        env["BIJOU_PAYMENTS_PROVIDER"] = "mercadopago";
        env["BIJOU_PAYMENTS_MERCADOPAGO_BASE_URL"] = "http://127.0.0.1:" + std::to_string(kMockPort);
        env["BIJOU_PAYMENTS_MERCADOPAGO_ACCESS_TOKEN"] = kToken;
        env["BIJOU_PAYMENTS_MERCADOPAGO_WEBHOOK_SECRET"] = "segredo-do-webhook";
        env["BIJOU_PAYMENTS_TIMEOUT_MS"] = "2000";
        env["BIJOU_MAIL_TIMEOUT_MS"] = "1000";
        env["BIJOU_JOBS_CLAIM_IDLE_MS"] = "5000";
        env["BIJOU_JOBS_POLL_INTERVAL_MS"] = "50";
        env["BIJOU_JOBS_RETRY_BASE_MS"] = "200";
        env["BIJOU_JOBS_RETRY_MAX_MS"] = "500";
        env["BIJOU_JOBS_MAX_ATTEMPTS"] = "40";
        std::string output;
        bijou::testing::run_command({"/usr/bin/redis-cli", "-p", bijou::testing::required_env("BIJOU_TEST_REDIS_PORT"), "-n",
                                     "7", "FLUSHDB"},
                                    {}, &output);
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env);
        worker = std::make_unique<bijou::testing::ChildProcess>(
            std::vector<std::string>{bijou::testing::required_env("BIJOU_BINARY"), "worker"}, env, "checkout-provider-worker");
    }
    void TearDown() override {
        worker.reset();
        server.reset();
        mock.reset();
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new ProviderEnvironment);

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

bijou::testing::Response send(http::verb method, const std::string& target, const std::string& body,
                              bijou::testing::Headers headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, method, target, headers, body);
}

// Registers a customer and fills the cart with one unit of a seeded variant. Returns the
// access token.
std::string customer_with_cart(const std::string& email) {
    json::object account{{"email", email}, {"password", "brinco de lua cheia"}, {"name", "Rita Lopes"}, {"client", "native"}};
    auto registered_customer = send(http::verb::post, "/v1/auth/register", json::serialize(account));
    EXPECT_EQ(registered_customer.result_int(), 201) << registered_customer.body();
    auto token = std::string(json_body(registered_customer).as_object()["access_token"].as_string());
    auto product = json_body(bijou::testing::get(kPort, "/v1/products/colar-ponto-de-luz")).as_object();
    auto variant = std::string(product["variants"].as_array()[0].as_object()["id"].as_string());
    json::object item{{"variant_id", variant}, {"quantity", 1}};
    auto added = send(http::verb::post, "/v1/cart/items", json::serialize(item), {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(added.result_int(), 201) << added.body();
    return token;
}

bijou::testing::Response checkout_pix(const std::string& token, const std::string& key) {
    json::object address{{"recipient_name", "Rita Lopes"}, {"cep", "20040-002"}, {"street", "Rua da Assembleia"},
                         {"number", "10"},                 {"district", "Centro"},  {"city", "Rio de Janeiro"},
                         {"uf", "RJ"}};
    json::object body{{"address", address}, {"shipping_option", "express"}, {"payment_method", "pix"}};
    return send(http::verb::post, "/v1/checkout", json::serialize(body),
                {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}});
}

int requests_with_key(const std::string& key) {
    std::ifstream in(records);
    std::string line;
    int count = 0;
    while (std::getline(in, line)) count += line.find(key) != std::string::npos ? 1 : 0;
    return count;
}

}  // namespace

TEST(ProviderCheckout, PixChargeFromProvider) {
    auto token = customer_with_cart("rita." + std::to_string(::getpid()) + "@exemplo.com.br");
    auto response = checkout_pix(token, "pix-mercadopago-1");
    ASSERT_EQ(response.result_int(), 201) << response.body();
    auto body = json_body(response).as_object();
    auto& payment = body["payment"].as_object();
    EXPECT_EQ(payment["provider"].as_string(), "mercadopago");
    EXPECT_EQ(payment["status"].as_string(), "pending");
    EXPECT_FALSE(payment["pix"].as_object()["copy_paste"].as_string().empty());
    auto payment_id = std::string(payment["id"].as_string());
    // The payment id was the provider's idempotency key, and the provider's id is stored.
    EXPECT_EQ(requests_with_key(payment_id), 1);
    EXPECT_FALSE(query("SELECT provider_payment_id FROM payment WHERE id = '" + payment_id + "'").empty());
}

TEST(ProviderCheckout, OutageDefersChargeToWorker) {
    // The mock returns 500 for this payer until the address changes.
    auto token = customer_with_cart("fail-500@exemplo.com.br");
    auto response = checkout_pix(token, "pix-mercadopago-fora-do-ar");
    ASSERT_EQ(response.result_int(), 201) << response.body();
    auto body = json_body(response).as_object();
    auto order_id = std::string(body["order"].as_object()["id"].as_string());
    auto& payment = body["payment"].as_object();
    auto payment_id = std::string(payment["id"].as_string());
    EXPECT_EQ(body["order"].as_object()["status"].as_string(), "pending_payment");
    EXPECT_EQ(payment["failure_reason"].as_string(), "provider_unavailable");
    EXPECT_TRUE(payment["pix"].is_null());
    // Three calls at checkout, all with the same idempotency key.
    EXPECT_GE(requests_with_key(payment_id), 3);
    // The order kept its stock.
    EXPECT_EQ(query("SELECT count(*) FROM inventory_reservation WHERE order_id = '" + order_id + "' AND status = 'active'"),
              "1");

    // The provider recovers for this payment: the worker's next attempt gets the charge.
    query("UPDATE customer_order SET email = 'rita.recuperada@exemplo.com.br' WHERE id = '" + order_id + "'");
    std::string copy_paste;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (copy_paste.empty() && std::chrono::steady_clock::now() < deadline) {
        copy_paste = query("SELECT coalesce(pix_copy_paste, '') FROM payment WHERE id = '" + payment_id + "'");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_FALSE(copy_paste.empty());
    auto order = send(http::verb::get, "/v1/orders/" + order_id, "", {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(order.result_int(), 200);
    auto order_body = json_body(order);
    auto& payments = order_body.as_object()["payments"].as_array();
    ASSERT_EQ(payments.size(), 1u);
    EXPECT_EQ(payments[0].as_object()["pix"].as_object()["copy_paste"].as_string(), copy_paste);

    // A replay of the checkout returns the stored 201, not a second order.
    auto replay = checkout_pix(token, "pix-mercadopago-fora-do-ar");
    EXPECT_EQ(replay.result_int(), 201);
    EXPECT_EQ(replay["Idempotent-Replayed"], "true");
    EXPECT_EQ(query("SELECT count(*) FROM customer_order WHERE user_id = (SELECT user_id FROM customer_order WHERE id = '" +
                    order_id + "')"),
              "1");
}
