// Checkout, payments and orders end to end: `bijou serve`, `bijou worker` and an SMTP sink
// against the real stack, with the sandbox payment provider signing its webhooks like
// Stripe. Covers the whole journey, concurrent buyers for the last units, idempotent
// checkout, webhook forgery, repeats and ordering, expiry and late payments.

#include <gtest/gtest.h>

#include <liboath/oath.h>

#include <boost/json.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "admin/totp.hpp"
#include "core/base64.hpp"
#include "payments/pix.hpp"
#include "payments/signatures.hpp"
#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18094;
constexpr std::uint16_t kSmtpPort = 18194;
constexpr const char* kWebhookSecret = "segredo-do-sandbox-nos-testes";
constexpr const char* kAdminPassword = "anel de prata com zircônia";

std::map<std::string, std::string> environment;
std::string database_url;
fs::path sink_dir;
std::unique_ptr<bijou::testing::ChildProcess> sink;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::unique_ptr<bijou::testing::ChildProcess> worker;

class CheckoutEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        sink_dir = fs::path(bijou::testing::required_env("BIJOU_TEST_STATE")) / "checkout-mail";
        fs::remove_all(sink_dir);
        sink = std::make_unique<bijou::testing::ChildProcess>(
            std::vector<std::string>{bijou::testing::required_env("BIJOU_TEST_NODE"),
                                     bijou::testing::required_env("BIJOU_SOURCE_DIR") + "/tests/tools/smtp-sink.mjs",
                                     std::to_string(kSmtpPort), sink_dir.string()},
            std::map<std::string, std::string>{}, "checkout-smtp-sink");
        bijou::testing::wait_for_port(kSmtpPort, std::chrono::seconds(15));

        environment = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_checkout");
        environment["DATABASE_URL"] = database_url;
        environment["REDIS_URL"] = "redis://127.0.0.1:" + bijou::testing::required_env("BIJOU_TEST_REDIS_PORT") + "/6";
        environment["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        environment["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
        environment["BIJOU_MAIL_TRANSPORT"] = "smtp";
        environment["BIJOU_MAIL_SMTP_URL"] = "smtp://127.0.0.1:" + std::to_string(kSmtpPort);
        environment["BIJOU_MAIL_TIMEOUT_MS"] = "2000";
        environment["BIJOU_JOBS_POLL_INTERVAL_MS"] = "50";
        environment["BIJOU_JOBS_CLAIM_IDLE_MS"] = "3000";
        environment["BIJOU_PAYMENTS_TIMEOUT_MS"] = "2000";
        environment["BIJOU_JOBS_RETRY_BASE_MS"] = "200";
        environment["BIJOU_JOBS_RETRY_MAX_MS"] = "1000";
        environment["BIJOU_CHECKOUT_EXPIRY_SWEEP_MS"] = "200";
        environment["BIJOU_PAYMENTS_SANDBOX_WEBHOOK_SECRET"] = kWebhookSecret;
        // The worker sends sandbox webhooks to the server's own URL.
        environment["BIJOU_HTTP_PUBLIC_BASE_URL"] = "http://127.0.0.1:" + std::to_string(kPort);
        std::string output;
        bijou::testing::run_command({"/usr/bin/redis-cli", "-p", bijou::testing::required_env("BIJOU_TEST_REDIS_PORT"),
                                     "-n", "6", "FLUSHDB"},
                                    {}, &output);
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, environment);
        worker = std::make_unique<bijou::testing::ChildProcess>(
            std::vector<std::string>{bijou::testing::required_env("BIJOU_BINARY"), "worker"}, environment, "checkout-worker");
    }
    void TearDown() override {
        worker.reset();
        server.reset();
        sink.reset();
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new CheckoutEnvironment);

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

using Headers = bijou::testing::Headers;

bijou::testing::Response send(http::verb method, const std::string& target, const std::string& body, Headers headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, method, target, headers, body);
}

Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

struct Customer {
    std::string email;
    std::string token;
};

Customer register_customer(const std::string& label) {
    static std::atomic<int> counter{0};
    Customer customer;
    customer.email = label + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "@exemplo.com.br";
    json::object body{{"email", customer.email}, {"password", "brinco de lua cheia"}, {"name", "Carla Dias"}, {"client", "native"}};
    auto response = send(http::verb::post, "/v1/auth/register", json::serialize(body));
    EXPECT_EQ(response.result_int(), 201) << response.body();
    customer.token = std::string(json_body(response).as_object()["access_token"].as_string());
    return customer;
}

std::string variant_of(const std::string& slug, std::size_t index = 0) {
    auto product = json_body(bijou::testing::get(kPort, "/v1/products/" + slug)).as_object();
    return std::string(product["variants"].as_array().at(index).as_object()["id"].as_string());
}

void add_to_cart(const Customer& customer, const json::object& item) {
    auto response = send(http::verb::post, "/v1/cart/items", json::serialize(item), bearer(customer.token));
    ASSERT_EQ(response.result_int(), 201) << response.body();
}

void set_stock(const std::string& variant_id, int on_hand) {
    query("UPDATE inventory SET on_hand = " + std::to_string(on_hand) + " WHERE variant_id = '" + variant_id + "'");
}

int reserved(const std::string& variant_id) {
    return std::stoi(query("SELECT reserved FROM inventory WHERE variant_id = '" + variant_id + "'"));
}

int on_hand(const std::string& variant_id) {
    return std::stoi(query("SELECT on_hand FROM inventory WHERE variant_id = '" + variant_id + "'"));
}

const json::object kPaulista{{"recipient_name", "Carla Dias"}, {"cep", "01310-100"}, {"street", "Avenida Paulista"},
                             {"number", "1000"},             {"district", "Bela Vista"}, {"city", "São Paulo"},
                             {"uf", "SP"}};

bijou::testing::Response checkout(const Customer& customer, const std::string& key, json::object body) {
    auto headers = bearer(customer.token);
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return send(http::verb::post, "/v1/checkout", json::serialize(body), headers);
}

json::object pix_body() {
    return {{"address", kPaulista}, {"shipping_option", "economy"}, {"payment_method", "pix"}};
}

std::string new_key() {
    static std::atomic<int> counter{0};
    return "chave-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

json::object order_of(const Customer& customer, const std::string& order_id) {
    auto response = bijou::testing::get(kPort, "/v1/orders/" + order_id, bearer(customer.token));
    EXPECT_EQ(response.result_int(), 200) << response.body();
    return json_body(response).as_object();
}

// Waits until the order reaches `status`; returns the last status seen.
std::string wait_for_status(const Customer& customer, const std::string& order_id, const std::string& status,
                            std::chrono::seconds timeout = std::chrono::seconds(15)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = std::string(order_of(customer, order_id)["status"].as_string());
        if (seen == status) return seen;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return seen;
}

bijou::testing::Response signed_webhook(const std::string& event_id, const std::string& provider_payment_id,
                                        const std::string& type, std::int64_t timestamp, const std::string& secret) {
    json::object body{{"id", event_id},
                      {"object", "event"},
                      {"type", type},
                      {"data", json::object{{"object", json::object{{"id", provider_payment_id}, {"object", "payment_intent"}}}}}};
    auto text = json::serialize(body);
    Headers headers{{"Stripe-Signature", bijou::payments::stripe_sign(secret, text, timestamp)}};
    return send(http::verb::post, "/v1/webhooks/payments/sandbox", text, headers);
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> mail_subjects_to(const std::string& address) {
    std::vector<std::string> subjects;
    if (!fs::exists(sink_dir)) return subjects;
    for (const auto& entry : fs::directory_iterator(sink_dir)) {
        if (entry.path().extension() != ".eml") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto raw = text.str();
        if (raw.find("<" + address + ">") == std::string::npos) continue;
        auto start = raw.find("\r\nSubject: ") + 11;
        auto header = raw.substr(start, raw.find("\r\nDate:", start) - start);
        std::string subject;
        std::size_t at = 0;
        while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
            auto end = header.find("?=", at + 10);
            subject += bijou::decode_base64(header.substr(at + 10, end - at - 10)).value_or("");
            at = end + 2;
        }
        subjects.push_back(subject.empty() ? header : subject);
    }
    return subjects;
}

bool wait_for_subject(const std::string& address, const std::string& part) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        for (const auto& subject : mail_subjects_to(address)) {
            if (subject.find(part) != std::string::npos) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

std::string admin_token() {
    static std::string token;
    if (!token.empty()) return token;
    auto values = environment;
    values["BIJOU_ADMIN_PASSWORD"] = kAdminPassword;
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({bijou::testing::required_env("BIJOU_BINARY"), "admin", "create",
                                           "pedidos@loja.example", "Rosa", "order_operator"},
                                          values, &output),
              0)
        << output;
    auto at = output.find("secret=");
    auto base32 = output.substr(at + 7, output.find('&', at) - at - 7);
    char* secret = nullptr;
    std::size_t length = 0;
    oath_init();
    EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &secret, &length), OATH_OK);
    std::string raw(secret, length);
    free(secret);
    json::object body{{"email", "pedidos@loja.example"},
                      {"password", kAdminPassword},
                      {"totp", bijou::admin::totp_code(raw, std::chrono::system_clock::now())}};
    auto response = send(http::verb::post, "/v1/admin/auth/login", json::serialize(body));
    EXPECT_EQ(response.result_int(), 200) << response.body();
    token = std::string(json_body(response).as_object()["access_token"].as_string());
    return token;
}

bijou::testing::Response admin_status(const std::string& order_id, const json::object& body, const std::string& version) {
    auto headers = bearer(admin_token());
    if (!version.empty()) headers.emplace_back("If-Match", version);
    return send(http::verb::patch, "/v1/admin/orders/" + order_id + "/status", json::serialize(body), headers);
}

}  // namespace

TEST(Journey, PendantPixWebhookPaidShippedDelivered) {
    auto customer = register_customer("jornada");
    auto variant = variant_of("colar-coracao-delicado");
    set_stock(variant, 10);
    auto pendants = json_body(bijou::testing::get(kPort, "/v1/products/colar-coracao-delicado/pendant-options"));
    auto& list = pendants.as_object().contains("items") ? pendants.as_object()["items"].as_array() : pendants.as_array();
    auto pendant = std::string(list.at(1).as_object()["id"].as_string());
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 2}, {"pendant_option_id", pendant}, {"engraving", "Vó ♥"}});

    auto quote = send(http::verb::post, "/v1/shipping/quote", R"({"cep": "01310-100"})", bearer(customer.token));
    ASSERT_EQ(quote.result_int(), 200) << quote.body();
    auto options = json_body(quote).as_object()["options"].as_array();
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options[0].as_object()["code"].as_string(), "economy");

    auto address = send(http::verb::post, "/v1/me/addresses", json::serialize(kPaulista), bearer(customer.token));
    ASSERT_EQ(address.result_int(), 201) << address.body();
    auto address_id = std::string(json_body(address).as_object()["id"].as_string());
    EXPECT_TRUE(json_body(address).as_object()["is_default"].as_bool());

    auto placed = checkout(customer, new_key(),
                           {{"address_id", address_id}, {"shipping_option", "economy"}, {"payment_method", "pix"}});
    ASSERT_EQ(placed.result_int(), 201) << placed.body();
    auto body = json_body(placed).as_object();
    auto order = body["order"].as_object();
    auto payment = body["payment"].as_object();
    EXPECT_EQ(order["status"].as_string(), "pending_payment");
    EXPECT_TRUE(std::string(order["number"].as_string()).starts_with("BJ-"));
    auto subtotal = order["subtotal"].as_int64();
    EXPECT_EQ(order["total"].as_int64(), subtotal + options[0].as_object()["price"].as_int64());
    ASSERT_EQ(order["items"].as_array().size(), 1u);
    EXPECT_EQ(order["items"].as_array()[0].as_object()["engraving"].as_string(), "Vó ♥");

    auto copy_paste = std::string(payment["pix"].as_object()["copy_paste"].as_string());
    auto fields = bijou::payments::parse_pix_code(copy_paste);
    auto amount = std::find_if(fields.begin(), fields.end(), [](const auto& field) { return field.id == "54"; });
    ASSERT_NE(amount, fields.end());
    EXPECT_EQ(amount->value, bijou::payments::format_pix_amount(order["total"].as_int64()));
    auto png = bijou::decode_base64(std::string(payment["pix"].as_object()["qr_code_png"].as_string()));
    ASSERT_TRUE(png);
    EXPECT_EQ(png->substr(1, 3), "PNG");
    EXPECT_EQ(reserved(variant), 2);
    auto pendant_reserved = query("SELECT reserved FROM inventory WHERE pendant_option_id = '" + pendant + "'");
    EXPECT_EQ(pendant_reserved, "2");
    // The cart was turned into the order.
    auto cart = json_body(bijou::testing::get(kPort, "/v1/cart", bearer(customer.token))).as_object();
    EXPECT_TRUE(cart["items"].as_array().empty());

    auto order_id = std::string(order["id"].as_string());
    auto payment_id = std::string(payment["id"].as_string());
    auto approve = send(http::verb::post, "/v1/sandbox/payments/" + payment_id + "/approve", "");
    ASSERT_EQ(approve.result_int(), 202) << approve.body();
    ASSERT_EQ(wait_for_status(customer, order_id, "paid"), "paid");
    EXPECT_TRUE(wait_for_subject(customer.email, "Pagamento confirmado"));

    auto admin_view = bijou::testing::get(kPort, "/v1/admin/orders/" + order_id, bearer(admin_token()));
    ASSERT_EQ(admin_view.result_int(), 200) << admin_view.body();
    auto etag = std::string(admin_view[http::field::etag]);
    auto produced = admin_status(order_id, {{"status", "in_production"}}, etag);
    ASSERT_EQ(produced.result_int(), 200) << produced.body();
    auto no_tracking = admin_status(order_id, {{"status", "shipped"}}, std::string(produced[http::field::etag]));
    EXPECT_EQ(no_tracking.result_int(), 422);
    auto shipped = admin_status(order_id, {{"status", "shipped"}, {"tracking_code", "BR123456789BR"}},
                                std::string(produced[http::field::etag]));
    ASSERT_EQ(shipped.result_int(), 200) << shipped.body();
    EXPECT_EQ(on_hand(variant), 8);
    EXPECT_EQ(reserved(variant), 0);
    EXPECT_TRUE(wait_for_subject(customer.email, "foi enviado"));
    auto delivered = admin_status(order_id, {{"status", "delivered"}}, std::string(shipped[http::field::etag]));
    ASSERT_EQ(delivered.result_int(), 200) << delivered.body();
    EXPECT_EQ(order_of(customer, order_id)["status"].as_string(), "delivered");
    EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'order.status_changed' AND entity_id = '" + order_id + "'"),
              "3");
    EXPECT_EQ(query("SELECT count(*) FROM payment WHERE order_id = '" + order_id + "' AND status = 'approved'"), "1");
}

TEST(Concurrency, FiftyBuyersForTheLastThreeUnits) {
    auto variant = variant_of("anel-solitario");
    set_stock(variant, 100);
    std::vector<Customer> buyers;
    for (int i = 0; i < 50; ++i) {
        buyers.push_back(register_customer("corrida"));
        add_to_cart(buyers.back(), {{"variant_id", variant}, {"quantity", 1}});
    }
    set_stock(variant, 3 + reserved(variant));

    std::atomic<int> created{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (const auto& buyer : buyers) {
        threads.emplace_back([&, buyer] {
            auto response = checkout(buyer, new_key(), pix_body());
            if (response.result_int() == 201) ++created;
            else if (response.result_int() == 409) ++refused;
            else ++other;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(created.load(), 3);
    EXPECT_EQ(refused.load(), 47);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(query("SELECT on_hand - reserved FROM inventory WHERE variant_id = '" + variant + "'"), "0");
}

TEST(Stock, TwoLinesOfOneVariantCountTogether) {
    auto customer = register_customer("duas-linhas");
    auto variant = variant_of("colar-ponto-de-luz");
    set_stock(variant, 5 + reserved(variant));
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 2}});
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 2}, {"engraving", "Ana"}});
    set_stock(variant, 3 + reserved(variant));
    auto before = reserved(variant);

    auto response = checkout(customer, new_key(), pix_body());
    ASSERT_EQ(response.result_int(), 409) << response.body();
    EXPECT_EQ(json_body(response).as_object()["code"].as_string(), "insufficient_stock");
    EXPECT_EQ(reserved(variant), before);
    EXPECT_EQ(query("SELECT count(*) FROM customer_order WHERE email = '" + customer.email + "'"), "0");
    // The cart is untouched and the same key may be retried after a fix.
    auto cart = json_body(bijou::testing::get(kPort, "/v1/cart", bearer(customer.token))).as_object();
    EXPECT_EQ(cart["items"].as_array().size(), 2u);
}

TEST(Idempotency, ReplaysTheSameBodyAndRejectsAnother) {
    auto customer = register_customer("idempotente");
    auto variant = variant_of("brinco-argola-lisa-pequena");
    set_stock(variant, 10 + reserved(variant));
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 1}});
    auto key = new_key();

    auto first = checkout(customer, key, pix_body());
    ASSERT_EQ(first.result_int(), 201) << first.body();
    auto again = checkout(customer, key, pix_body());
    ASSERT_EQ(again.result_int(), 201);
    EXPECT_EQ(again["Idempotent-Replayed"], "true");
    EXPECT_EQ(json_body(again), json_body(first));
    EXPECT_EQ(query("SELECT count(*) FROM customer_order WHERE email = '" + customer.email + "'"), "1");

    auto express = pix_body();
    express["shipping_option"] = "express";
    auto other = checkout(customer, key, express);
    EXPECT_EQ(other.result_int(), 422);
    EXPECT_EQ(json_body(other).as_object()["code"].as_string(), "idempotency_key_reused");

    auto without = checkout(customer, "", pix_body());
    EXPECT_EQ(without.result_int(), 400);
    EXPECT_EQ(json_body(without).as_object()["code"].as_string(), "idempotency_key_required");
}

TEST(CheckoutInput, ClientPricesAndBadFieldsAreRejected) {
    auto customer = register_customer("preco");
    auto body = pix_body();
    body["total"] = 1;
    auto priced = checkout(customer, new_key(), body);
    EXPECT_EQ(priced.result_int(), 422);
    auto both = pix_body();
    both["address_id"] = "01900000-0000-7000-8000-000000000000";
    EXPECT_EQ(checkout(customer, new_key(), both).result_int(), 422);
    auto card = pix_body();
    card["payment_method"] = "card";
    EXPECT_EQ(checkout(customer, new_key(), card).result_int(), 422);
    auto wrong_state = pix_body();
    wrong_state["address"].as_object()["uf"] = "RJ";
    EXPECT_EQ(checkout(customer, new_key(), wrong_state).result_int(), 422);
    EXPECT_EQ(checkout(customer, new_key(), pix_body()).result_int(), 422);  // empty cart
    auto anonymous = send(http::verb::post, "/v1/checkout", json::serialize(pix_body()), {{"Idempotency-Key", "x"}});
    EXPECT_EQ(anonymous.result_int(), 401);
}

TEST(Webhooks, ForgedStaleAndRepeatedEvents) {
    auto customer = register_customer("webhook");
    auto variant = variant_of("brinco-argola-torcida");
    set_stock(variant, 10 + reserved(variant));
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 1}});
    auto placed = json_body(checkout(customer, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());
    auto provider_id = "sbx_" + std::string(placed["payment"].as_object()["id"].as_string());

    auto forged = signed_webhook("evt_forjado", provider_id, "payment_intent.succeeded", now_seconds(), "outro-segredo");
    EXPECT_EQ(forged.result_int(), 401);
    EXPECT_EQ(json_body(forged).as_object()["code"].as_string(), "webhook_signature_invalid");
    auto stale = signed_webhook("evt_velho", provider_id, "payment_intent.succeeded", now_seconds() - 3600, kWebhookSecret);
    EXPECT_EQ(stale.result_int(), 401);
    auto unsigned_event = send(http::verb::post, "/v1/webhooks/payments/sandbox", R"({"id":"evt_x"})");
    EXPECT_EQ(unsigned_event.result_int(), 401);
    EXPECT_EQ(send(http::verb::post, "/v1/webhooks/payments/stripe", R"({"id":"evt_x"})").result_int(), 404);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(order_of(customer, order_id)["status"].as_string(), "pending_payment");
    EXPECT_EQ(query("SELECT count(*) FROM payment_event WHERE provider_event_id IN ('evt_forjado', 'evt_velho')"), "0");

    auto first = signed_webhook("evt_pago_1", provider_id, "payment_intent.succeeded", now_seconds(), kWebhookSecret);
    ASSERT_EQ(first.result_int(), 200) << first.body();
    auto repeat = signed_webhook("evt_pago_1", provider_id, "payment_intent.succeeded", now_seconds(), kWebhookSecret);
    ASSERT_EQ(repeat.result_int(), 200);
    EXPECT_TRUE(json_body(repeat).as_object()["duplicate"].as_bool());
    ASSERT_EQ(wait_for_status(customer, order_id, "paid"), "paid");

    // A failure that arrives after the success changes nothing.
    auto late_failure = signed_webhook("evt_falhou_depois", provider_id, "payment_intent.payment_failed", now_seconds(),
                                       kWebhookSecret);
    ASSERT_EQ(late_failure.result_int(), 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    EXPECT_EQ(order_of(customer, order_id)["status"].as_string(), "paid");
    EXPECT_EQ(query("SELECT count(*) FROM payment_event WHERE provider_event_id = 'evt_pago_1'"), "1");
    EXPECT_EQ(query("SELECT captured_at IS NOT NULL AND status = 'approved' FROM payment WHERE order_id = '" + order_id + "'"),
              "t");
}

TEST(Webhooks, EarlyEventWaitsForItsPayment) {
    // A provider id the payment row does not carry yet: the webhook came before the
    // checkout stored the provider's response.
    auto early = "pi_adiantado_" + std::to_string(::getpid());
    auto response = signed_webhook("evt_adiantado", early, "payment_intent.succeeded", now_seconds(), kWebhookSecret);
    ASSERT_EQ(response.result_int(), 200) << response.body();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string error;
    while (std::chrono::steady_clock::now() < deadline && error.empty()) {
        error = query("SELECT coalesce(processing_error, '') FROM payment_event WHERE provider_event_id = 'evt_adiantado'");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(error, "payment not known yet");
    EXPECT_EQ(query("SELECT processed_at IS NULL FROM payment_event WHERE provider_event_id = 'evt_adiantado'"), "t");

    // The checkout stores the provider's response: the payment now carries that provider
    // id, and the retried event pays the order.
    auto customer = register_customer("adiantado");
    auto variant = variant_of("anel-aparador-cravejado");
    set_stock(variant, 5 + reserved(variant));
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 1}});
    auto placed = json_body(checkout(customer, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());
    auto payment_id = std::string(placed["payment"].as_object()["id"].as_string());
    query("UPDATE payment SET provider_payment_id = '" + early + "' WHERE id = '" + payment_id + "'");
    EXPECT_EQ(wait_for_status(customer, order_id, "paid"), "paid");
    EXPECT_EQ(query("SELECT processed_at IS NOT NULL FROM payment_event WHERE provider_event_id = 'evt_adiantado'"), "t");
}

TEST(Cards, ApprovedAtOnceOrDeclinedWithStockBack) {
    auto variant = variant_of("anel-liso-fino");
    set_stock(variant, 10 + reserved(variant));
    auto before = reserved(variant);

    auto payer = register_customer("cartao");
    add_to_cart(payer, {{"variant_id", variant}, {"quantity", 1}});
    auto card = pix_body();
    card["payment_method"] = "card";
    card["card_token"] = "tok_sandbox_approved";
    auto approved = checkout(payer, new_key(), card);
    ASSERT_EQ(approved.result_int(), 201) << approved.body();
    EXPECT_EQ(json_body(approved).as_object()["order"].as_object()["status"].as_string(), "paid");
    EXPECT_EQ(json_body(approved).as_object()["payment"].as_object()["status"].as_string(), "approved");
    EXPECT_EQ(reserved(variant), before + 1);

    auto declined_payer = register_customer("recusado");
    add_to_cart(declined_payer, {{"variant_id", variant}, {"quantity", 1}});
    card["card_token"] = "tok_sandbox_declined";
    auto declined = checkout(declined_payer, new_key(), card);
    ASSERT_EQ(declined.result_int(), 201) << declined.body();
    EXPECT_EQ(json_body(declined).as_object()["order"].as_object()["status"].as_string(), "payment_failed");
    EXPECT_EQ(json_body(declined).as_object()["payment"].as_object()["failure_reason"].as_string(), "card_declined");
    EXPECT_EQ(reserved(variant), before + 1);
    // The cart is back, so the customer can pay another way.
    auto cart = json_body(bijou::testing::get(kPort, "/v1/cart", bearer(declined_payer.token))).as_object();
    EXPECT_EQ(cart["items"].as_array().size(), 1u);
    EXPECT_EQ(checkout(declined_payer, new_key(), pix_body()).result_int(), 201);
}

TEST(Expiry, ReleasesStockAndALatePaymentReservesAgain) {
    auto variant = variant_of("brinco-ponto-de-luz");
    set_stock(variant, 10 + reserved(variant));
    auto before = reserved(variant);
    auto customer = register_customer("expira");
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 2}});
    auto placed = json_body(checkout(customer, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());
    auto payment_id = std::string(placed["payment"].as_object()["id"].as_string());
    EXPECT_EQ(reserved(variant), before + 2);

    // The reservation runs out.
    query("UPDATE customer_order SET reservation_expires_at = now() - interval '1 second' WHERE id = '" + order_id + "'");
    ASSERT_EQ(wait_for_status(customer, order_id, "expired"), "expired");
    EXPECT_EQ(reserved(variant), before);
    EXPECT_EQ(query("SELECT status FROM payment WHERE id = '" + payment_id + "'"), "expired");

    // The Pix is paid anyway while stock remains: the order takes its units again.
    auto late = signed_webhook("evt_tarde", "sbx_" + payment_id, "payment_intent.succeeded", now_seconds(), kWebhookSecret);
    ASSERT_EQ(late.result_int(), 200);
    ASSERT_EQ(wait_for_status(customer, order_id, "paid"), "paid");
    EXPECT_EQ(reserved(variant), before + 2);
}

TEST(Expiry, ALatePaymentWithoutStockAsksForARefund) {
    auto variant = variant_of("brinco-gota-de-cristal");
    set_stock(variant, 1 + reserved(variant));
    auto customer = register_customer("sem-estoque");
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 1}});
    auto placed = json_body(checkout(customer, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());
    auto payment_id = std::string(placed["payment"].as_object()["id"].as_string());
    query("UPDATE customer_order SET reservation_expires_at = now() - interval '1 second' WHERE id = '" + order_id + "'");
    ASSERT_EQ(wait_for_status(customer, order_id, "expired"), "expired");

    // Someone else buys the last unit meanwhile.
    set_stock(variant, reserved(variant));
    auto late = signed_webhook("evt_tarde_demais", "sbx_" + payment_id, "payment_intent.succeeded", now_seconds(),
                               kWebhookSecret);
    ASSERT_EQ(late.result_int(), 200);
    EXPECT_EQ(wait_for_status(customer, order_id, "refund_pending"), "refund_pending");
    EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'order.late_payment' AND entity_id = '" + order_id + "'"),
              "1");
}

TEST(Orders, CustomersSeeOnlyTheirOwn) {
    auto owner = register_customer("dona-do-pedido");
    auto variant = variant_of("anel-quartzo-rosa");
    set_stock(variant, 5 + reserved(variant));
    add_to_cart(owner, {{"variant_id", variant}, {"quantity", 1}});
    auto placed = json_body(checkout(owner, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());

    auto list = json_body(bijou::testing::get(kPort, "/v1/orders", bearer(owner.token))).as_object();
    ASSERT_EQ(list["items"].as_array().size(), 1u);
    EXPECT_EQ(list["items"].as_array()[0].as_object()["id"].as_string(), order_id);

    auto other = register_customer("curiosa");
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/orders/" + order_id, bearer(other.token)).result_int(), 404);
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/orders/nao-e-uuid", bearer(other.token)).result_int(), 404);
    EXPECT_TRUE(json_body(bijou::testing::get(kPort, "/v1/orders", bearer(other.token))).as_object()["items"].as_array().empty());
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/admin/orders", bearer(owner.token)).result_int(), 401);
}

TEST(AdminOrders, TransitionsNeedAValidMoveAndTheCurrentVersion) {
    auto customer = register_customer("admin-pedido");
    auto variant = variant_of("anel-folhas-ajustavel");
    set_stock(variant, 5 + reserved(variant));
    add_to_cart(customer, {{"variant_id", variant}, {"quantity", 1}});
    auto placed = json_body(checkout(customer, new_key(), pix_body())).as_object();
    auto order_id = std::string(placed["order"].as_object()["id"].as_string());

    auto list = bijou::testing::get(kPort, "/v1/admin/orders?status=pending_payment&q=" + customer.email, bearer(admin_token()));
    ASSERT_EQ(list.result_int(), 200) << list.body();
    EXPECT_EQ(json_body(list).as_object()["items"].as_array().size(), 1u);
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/admin/orders?status=voando", bearer(admin_token())).result_int(), 400);

    EXPECT_EQ(admin_status(order_id, {{"status", "shipped"}, {"tracking_code", "BR1"}}, "\"1\"").result_int(), 409);
    EXPECT_EQ(admin_status(order_id, {{"status", "cancelled"}}, "").result_int(), 428);
    EXPECT_EQ(admin_status(order_id, {{"status", "cancelled"}}, "\"7\"").result_int(), 412);
    auto before = reserved(variant);
    auto cancelled = admin_status(order_id, {{"status", "cancelled"}}, "\"1\"");
    ASSERT_EQ(cancelled.result_int(), 200) << cancelled.body();
    EXPECT_EQ(reserved(variant), before - 1);
    EXPECT_EQ(query("SELECT status FROM payment WHERE order_id = '" + order_id + "'"), "cancelled");
}
