#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "payments/api_json.hpp"
#include "payments/boleto.hpp"
#include "payments/http_client.hpp"
#include "payments/mercadopago.hpp"
#include "payments/signatures.hpp"
#include "payments/stripe.hpp"

using namespace bijou::payments;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

const system_clock::time_point kNow = system_clock::time_point(seconds(1'796'000'000));

ChargeRequest pix_request() {
    ChargeRequest request;
    request.payment_id = "01a242bb-e04f-77c3-924e-c1b8eab6a13f";
    request.order_number = "BJ-2026-000123";
    request.amount = 12990;
    request.method = Method::pix;
    request.description = "Pedido BJ-2026-000123 - Bijou";
    request.payer_email = "marina@exemplo.com.br";
    request.payer_name = "Marina Alves Souza";
    request.expires_at = kNow + std::chrono::minutes(30);
    return request;
}

bijou::PaymentsConfig payments_config() {
    bijou::PaymentsConfig config;
    config.mercadopago.webhook_secret = "segredo-mp";
    config.stripe.webhook_secret = "whsec_teste";
    return config;
}

std::map<std::string, std::string> form_fields(const std::string& form) {
    std::map<std::string, std::string> fields;
    std::size_t start = 0;
    while (start < form.size()) {
        auto end = form.find('&', start);
        auto pair = form.substr(start, end == std::string::npos ? std::string::npos : end - start);
        auto equals = pair.find('=');
        fields[pair.substr(0, equals)] = pair.substr(equals + 1);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return fields;
}

}  // namespace

TEST(PaymentsMercadoPago, PixBody) {
    auto body = mercadopago_payment_body(pix_request());
    EXPECT_EQ(body.substr(0, 29), "{\"transaction_amount\":129.90,");
    auto json = boost::json::parse(body);
    EXPECT_EQ(text_at(json, {"payment_method_id"}), "pix");
    EXPECT_EQ(text_at(json, {"external_reference"}), "BJ-2026-000123");
    EXPECT_EQ(text_at(json, {"payer", "email"}), "marina@exemplo.com.br");
    EXPECT_EQ(text_at(json, {"payer", "first_name"}), "Marina");
    EXPECT_EQ(text_at(json, {"payer", "last_name"}), "Alves Souza");
    // 1796000000 + 30 min is 2026-11-30 01:23:20 UTC, 22:23:20 the day before in Brasilia.
    EXPECT_EQ(text_at(json, {"date_of_expiration"}), "2026-11-29T22:23:20.000-03:00");
}

TEST(PaymentsMercadoPago, AmountKeepsCentavos) {
    auto request = pix_request();
    request.amount = 1;
    EXPECT_EQ(mercadopago_payment_body(request).substr(0, 27), "{\"transaction_amount\":0.01,");
    request.amount = 123456789012;
    EXPECT_EQ(mercadopago_payment_body(request).substr(0, 36), "{\"transaction_amount\":1234567890.12,");
}

TEST(PaymentsMercadoPago, CardAndBoletoBodies) {
    auto request = pix_request();
    request.method = Method::card;
    EXPECT_THROW(mercadopago_payment_body(request), ProviderError);
    request.card_token = "ff8080814c11e237014c1ff593b57b4d";
    request.card_brand = "master";
    auto card = boost::json::parse(mercadopago_payment_body(request));
    EXPECT_EQ(text_at(card, {"token"}), "ff8080814c11e237014c1ff593b57b4d");
    EXPECT_EQ(text_at(card, {"installments"}), "1");
    EXPECT_EQ(text_at(card, {"payment_method_id"}), "master");

    request.method = Method::boleto;
    EXPECT_THROW(mercadopago_payment_body(request), ProviderError);
    request.payer_cpf = "12345678909";
    auto boleto = boost::json::parse(mercadopago_payment_body(request));
    EXPECT_EQ(text_at(boleto, {"payment_method_id"}), "bolbradesco");
    EXPECT_EQ(text_at(boleto, {"payer", "identification", "type"}), "CPF");
    EXPECT_EQ(text_at(boleto, {"payer", "identification", "number"}), "12345678909");
}

TEST(PaymentsMercadoPago, StatusMapping) {
    EXPECT_EQ(mercadopago_status("approved"), ChargeStatus::approved);
    EXPECT_EQ(mercadopago_status("pending"), ChargeStatus::pending);
    EXPECT_EQ(mercadopago_status("in_process"), ChargeStatus::pending);
    EXPECT_EQ(mercadopago_status("authorized"), ChargeStatus::pending);
    EXPECT_EQ(mercadopago_status("rejected"), ChargeStatus::declined);
    EXPECT_EQ(mercadopago_status("cancelled"), ChargeStatus::declined);
}

TEST(PaymentsMercadoPago, WebhookVerified) {
    auto provider = make_mercadopago_provider(payments_config());
    std::string body =
        R"({"action":"payment.updated","api_version":"v1","data":{"id":"1325938431"},"date_created":"2026-11-30T01:00:00Z",)"
        R"("id":117253811520,"live_mode":false,"type":"payment","user_id":"1234567"})";
    std::map<std::string, std::string> headers{
        {"x-request-id", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"},
        {"x-signature",
         mercadopago_sign("segredo-mp", "1325938431", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e", 1'796'000'000)}};
    auto event = provider->verify_webhook(headers, body, kNow);
    EXPECT_EQ(event.event_id, "117253811520");
    EXPECT_EQ(event.provider_payment_id, "1325938431");
    EXPECT_EQ(event.type, "payment.updated");
    EXPECT_FALSE(event.status.has_value());

    headers["x-request-id"] = "outro";
    EXPECT_THROW(provider->verify_webhook(headers, body, kNow), SignatureError);
    headers.erase("x-signature");
    EXPECT_THROW(provider->verify_webhook(headers, body, kNow), SignatureError);
    EXPECT_THROW(provider->verify_webhook(headers, "not json", kNow), SignatureError);
}

TEST(PaymentsStripe, PixAndCardBodies) {
    auto pix = form_fields(stripe_payment_intent_body(pix_request()));
    EXPECT_EQ(pix["amount"], "12990");
    EXPECT_EQ(pix["currency"], "brl");
    EXPECT_EQ(pix["confirm"], "true");
    EXPECT_EQ(pix["payment_method_types%5B%5D"], "pix");
    EXPECT_EQ(pix["payment_method_data%5Btype%5D"], "pix");
    EXPECT_EQ(pix["payment_method_options%5Bpix%5D%5Bexpires_at%5D"], "1796001800");
    EXPECT_EQ(pix["description"], "Pedido%20BJ-2026-000123%20-%20Bijou");
    EXPECT_EQ(pix["metadata%5Bpayment_id%5D"], "01a242bb-e04f-77c3-924e-c1b8eab6a13f");

    auto request = pix_request();
    request.method = Method::card;
    EXPECT_THROW(stripe_payment_intent_body(request), ProviderError);
    request.card_token = "pm_card_visa";
    auto card = form_fields(stripe_payment_intent_body(request));
    EXPECT_EQ(card["payment_method_types%5B%5D"], "card");
    EXPECT_EQ(card["payment_method"], "pm_card_visa");

    request.method = Method::boleto;
    try {
        stripe_payment_intent_body(request);
        ADD_FAILURE() << "boleto accepted";
    } catch (const ProviderError& error) {
        EXPECT_FALSE(error.retryable);
    }
}

TEST(PaymentsStripe, StatusMapping) {
    EXPECT_EQ(stripe_status("succeeded"), ChargeStatus::approved);
    EXPECT_EQ(stripe_status("requires_action"), ChargeStatus::pending);
    EXPECT_EQ(stripe_status("processing"), ChargeStatus::pending);
    EXPECT_EQ(stripe_status("requires_payment_method"), ChargeStatus::declined);
    EXPECT_EQ(stripe_status("canceled"), ChargeStatus::declined);
}

TEST(PaymentsStripe, WebhookEvents) {
    auto provider = make_stripe_provider(payments_config());
    struct Case {
        std::string type;
        std::optional<ChargeStatus> status;
    };
    for (const auto& [type, status] : std::vector<Case>{{"payment_intent.succeeded", ChargeStatus::approved},
                                                        {"payment_intent.payment_failed", ChargeStatus::declined},
                                                        {"payment_intent.processing", ChargeStatus::pending},
                                                        {"payment_intent.created", std::nullopt}}) {
        std::string body =
            R"({"id":"evt_3QaBcD","object":"event","api_version":"2024-06-20","created":1796000000,)"
            R"("data":{"object":{"id":"pi_3QaBcD","object":"payment_intent","amount":12990,"currency":"brl"}},)"
            R"("livemode":false,"type":")" +
            type + R"("})";
        std::map<std::string, std::string> headers{
            {"stripe-signature", stripe_sign("whsec_teste", body, 1'796'000'000)}};
        auto event = provider->verify_webhook(headers, body, kNow);
        EXPECT_EQ(event.event_id, "evt_3QaBcD");
        EXPECT_EQ(event.provider_payment_id, "pi_3QaBcD");
        EXPECT_EQ(event.type, type);
        EXPECT_EQ(event.status, status) << type;
    }
}

TEST(PaymentsStripe, WebhookRejected) {
    auto provider = make_stripe_provider(payments_config());
    std::string body =
        R"({"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent"}}})";
    std::map<std::string, std::string> headers{{"stripe-signature", stripe_sign("whsec_outro", body, 1'796'000'000)}};
    EXPECT_THROW(provider->verify_webhook(headers, body, kNow), SignatureError);
    EXPECT_THROW(provider->verify_webhook({}, body, kNow), SignatureError);
    headers["stripe-signature"] = stripe_sign("whsec_teste", body, 1'796'000'000);
    EXPECT_THROW(provider->verify_webhook(headers, body, kNow + seconds(301)), SignatureError);
}

TEST(PaymentsBoleto, DigitableLineFromBarcode) {
    EXPECT_EQ(boleto_digitable_line("00193373700000001000500940144816060680935031"),
              "00190500954014481606906809350314337370000000100");
    EXPECT_THROW(boleto_digitable_line("0019337370000000100050094014481606068093503"), std::invalid_argument);
    EXPECT_EQ(digits_only("00190.50095 40144.816069"),
              "0019050095401448160"
              "69");
}

TEST(PaymentsJson, Rfc3339Parsing) {
    auto parsed = parse_rfc3339("2026-11-29T22:23:20.000-03:00");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, kNow + std::chrono::minutes(30));
    EXPECT_EQ(parse_rfc3339("2026-11-30T01:23:20Z"), kNow + std::chrono::minutes(30));
    EXPECT_FALSE(parse_rfc3339("2026-11-30 01:23:20").has_value());
    EXPECT_FALSE(parse_rfc3339("2026-02-30T01:23:20Z").has_value());
    EXPECT_EQ(format_brasilia_time(kNow), "2026-11-29T21:53:20.000-03:00");
}

TEST(PaymentsHttp, ErrorClassification) {
    auto classify = [](int status) {
        try {
            throw_for_status("stripe", "GET /v1/payment_intents/{id}", ApiResponse{status, ""}, "detail");
        } catch (const ProviderError& error) {
            EXPECT_EQ(error.http_status, status);
            return error.retryable ? 1 : 0;
        }
        return -1;
    };
    EXPECT_EQ(classify(200), -1);
    EXPECT_EQ(classify(500), 1);
    EXPECT_EQ(classify(503), 1);
    EXPECT_EQ(classify(429), 1);
    EXPECT_EQ(classify(400), 0);
    EXPECT_EQ(classify(401), 0);
    EXPECT_EQ(classify(404), 0);
    EXPECT_EQ(percent_encode("a b&c=d[]~"), "a%20b%26c%3Dd%5B%5D~");
}
