#include "payments/signatures.hpp"

#include <gtest/gtest.h>

using namespace bijou::payments;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

constexpr std::int64_t kSignedAt = 1'796'000'000;  // 2026-11-30 00:53:20 UTC
const system_clock::time_point kNow = system_clock::time_point(seconds(kSignedAt + 10));
constexpr std::string_view kBody = R"({"id":"evt_1","type":"payment_intent.succeeded"})";
constexpr std::string_view kSecret = "whsec_teste";

}  // namespace

TEST(Signature, HmacKnownAnswer) {
    // RFC 4231 test case 2.
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, StripeValid) {
    auto header = stripe_sign(kSecret, kBody, kSignedAt);
    EXPECT_EQ(header.substr(0, 13), "t=1796000000,");
    EXPECT_NO_THROW(stripe_verify(header, kSecret, kBody, kNow));
}

TEST(Signature, StripeTamperedBody) {
    auto header = stripe_sign(kSecret, kBody, kSignedAt);
    EXPECT_THROW(stripe_verify(header, kSecret, R"({"id":"evt_1","type":"payment_intent.payment_failed"})", kNow),
                 SignatureError);
}

TEST(Signature, StripeWrongSecret) {
    auto header = stripe_sign("whsec_outro", kBody, kSignedAt);
    EXPECT_THROW(stripe_verify(header, kSecret, kBody, kNow), SignatureError);
}

TEST(Signature, StripeStaleAndFuture) {
    auto header = stripe_sign(kSecret, kBody, kSignedAt);
    EXPECT_NO_THROW(stripe_verify(header, kSecret, kBody, system_clock::time_point(seconds(kSignedAt + 300))));
    EXPECT_THROW(stripe_verify(header, kSecret, kBody, system_clock::time_point(seconds(kSignedAt + 301))),
                 SignatureError);
    EXPECT_THROW(stripe_verify(header, kSecret, kBody, system_clock::time_point(seconds(kSignedAt - 301))),
                 SignatureError);
    EXPECT_NO_THROW(
        stripe_verify(header, kSecret, kBody, system_clock::time_point(seconds(kSignedAt + 500)), seconds(600)));
}

TEST(Signature, StripeTimestampIsSigned) {
    // Moving t forward to pass the freshness check breaks the signature.
    auto header = stripe_sign(kSecret, kBody, kSignedAt);
    auto replayed = "t=" + std::to_string(kSignedAt + 1000) + header.substr(header.find(','));
    EXPECT_THROW(stripe_verify(replayed, kSecret, kBody, system_clock::time_point(seconds(kSignedAt + 1000))),
                 SignatureError);
}

TEST(Signature, StripeMissingHeader) {
    EXPECT_THROW(stripe_verify(std::nullopt, kSecret, kBody, kNow), SignatureError);
    EXPECT_THROW(stripe_verify("", kSecret, kBody, kNow), SignatureError);
}

TEST(Signature, StripeMalformedHeader) {
    auto valid = stripe_sign(kSecret, kBody, kSignedAt);
    auto v1 = valid.substr(valid.find("v1="));
    std::vector<std::string> headers{"garbage",           "t=abc," + v1,      v1,
                                     "t=1796000000",      "t=1796000000,v1=", "t=1796000000,t=1796000001," + v1,
                                     "t=1796000000;" + v1};
    for (const auto& header : headers) {
        EXPECT_THROW(stripe_verify(header, kSecret, kBody, kNow), SignatureError) << header;
    }
}

TEST(Signature, StripeMultipleV1) {
    auto valid = stripe_sign(kSecret, kBody, kSignedAt);
    auto v1 = valid.substr(valid.find("v1="));
    std::string wrong = "v1=" + std::string(64, '0');
    std::string header = "t=" + std::to_string(kSignedAt) + "," + wrong + "," + v1 + ",v0=" + std::string(64, 'a');
    EXPECT_NO_THROW(stripe_verify(header, kSecret, kBody, kNow));
    std::string only_wrong = "t=" + std::to_string(kSignedAt) + "," + wrong + ",v1=" + std::string(64, '1');
    EXPECT_THROW(stripe_verify(only_wrong, kSecret, kBody, kNow), SignatureError);
}

TEST(Signature, StripeEmptySecretRejected) {
    auto header = stripe_sign("", kBody, kSignedAt);
    EXPECT_THROW(stripe_verify(header, "", kBody, kNow), SignatureError);
}

TEST(Signature, MercadoPagoManifest) {
    EXPECT_EQ(mercadopago_manifest("123456", "req-1", "1796000000"), "id:123456;request-id:req-1;ts:1796000000;");
    EXPECT_EQ(mercadopago_manifest("ABC123", "req-1", "1796000000"), "id:abc123;request-id:req-1;ts:1796000000;");
    EXPECT_EQ(mercadopago_manifest("ORD-ABC", "req-1", "1"), "id:ORD-ABC;request-id:req-1;ts:1;");
    EXPECT_EQ(mercadopago_manifest(std::nullopt, "req-1", "1796000000"), "request-id:req-1;ts:1796000000;");
    EXPECT_EQ(mercadopago_manifest("123456", std::nullopt, "1796000000"), "id:123456;ts:1796000000;");
}

TEST(Signature, MercadoPagoValid) {
    auto header = mercadopago_sign("segredo", "123456", "req-1", kSignedAt);
    EXPECT_EQ(header.substr(0, 14), "ts=1796000000,");
    EXPECT_NO_THROW(mercadopago_verify(header, "123456", "req-1", "segredo", kNow));
    // Upper-case alphanumeric ids sign as lower case.
    auto upper = mercadopago_sign("segredo", "ABC123", "req-1", kSignedAt);
    EXPECT_NO_THROW(mercadopago_verify(upper, "abc123", "req-1", "segredo", kNow));
}

TEST(Signature, MercadoPagoTamperedNotification) {
    auto header = mercadopago_sign("segredo", "123456", "req-1", kSignedAt);
    EXPECT_THROW(mercadopago_verify(header, "654321", "req-1", "segredo", kNow), SignatureError);
    EXPECT_THROW(mercadopago_verify(header, "123456", "req-2", "segredo", kNow), SignatureError);
    EXPECT_THROW(mercadopago_verify(header, "123456", std::nullopt, "segredo", kNow), SignatureError);
}

TEST(Signature, MercadoPagoWrongSecret) {
    auto header = mercadopago_sign("outro", "123456", "req-1", kSignedAt);
    EXPECT_THROW(mercadopago_verify(header, "123456", "req-1", "segredo", kNow), SignatureError);
}

TEST(Signature, MercadoPagoStale) {
    auto header = mercadopago_sign("segredo", "123456", "req-1", kSignedAt);
    EXPECT_THROW(
        mercadopago_verify(header, "123456", "req-1", "segredo", system_clock::time_point(seconds(kSignedAt + 301))),
        SignatureError);
    EXPECT_THROW(
        mercadopago_verify(header, "123456", "req-1", "segredo", system_clock::time_point(seconds(kSignedAt - 301))),
        SignatureError);
}

TEST(Signature, MercadoPagoMillisecondTimestamp) {
    auto header = mercadopago_sign("segredo", "123456", "req-1", kSignedAt * 1000 + 250);
    EXPECT_NO_THROW(mercadopago_verify(header, "123456", "req-1", "segredo", kNow));
    EXPECT_THROW(
        mercadopago_verify(header, "123456", "req-1", "segredo", system_clock::time_point(seconds(kSignedAt + 400))),
        SignatureError);
}

TEST(Signature, MercadoPagoMissingHeader) {
    EXPECT_THROW(mercadopago_verify(std::nullopt, "123456", "req-1", "segredo", kNow), SignatureError);
    EXPECT_THROW(mercadopago_verify("  ", "123456", "req-1", "segredo", kNow), SignatureError);
}

TEST(Signature, MercadoPagoMalformedHeader) {
    auto valid = mercadopago_sign("segredo", "123456", "req-1", kSignedAt);
    auto v1 = valid.substr(valid.find("v1="));
    std::vector<std::string> headers{"ts=1796000000", v1, "ts=," + v1, "ts=17960x0000," + v1, "v1"};
    for (const auto& header : headers) {
        EXPECT_THROW(mercadopago_verify(header, "123456", "req-1", "segredo", kNow), SignatureError) << header;
    }
}

TEST(Signature, MercadoPagoMultipleV1) {
    auto valid = mercadopago_sign("segredo", "123456", "req-1", kSignedAt);
    auto v1 = valid.substr(valid.find("v1="));
    std::string header = "ts=" + std::to_string(kSignedAt) + ",v1=" + std::string(64, 'f') + "," + v1;
    EXPECT_NO_THROW(mercadopago_verify(header, "123456", "req-1", "segredo", kNow));
}
