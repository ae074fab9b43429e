#include "payments/pix.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

using namespace bijou::payments;

namespace {

std::string read_example(const std::string& name) {
    std::ifstream file(std::string(BIJOU_SOURCE_DIR) + "/tests/data/pix/" + name);
    std::stringstream text;
    text << file.rdbuf();
    auto content = text.str();
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
    return content;
}

std::string field(const std::vector<EmvField>& fields, std::string_view id) {
    for (const auto& entry : fields) {
        if (entry.id == id) return entry.value;
    }
    return "(missing)";
}

PixPayload shop_payload() {
    PixPayload payload;
    payload.key = "pix@bijou.example";
    payload.amount = 12990;
    payload.merchant_name = "Ateliê Bijou";
    payload.merchant_city = "São Paulo";
    payload.txid = "BJ2026000123";
    return payload;
}

}  // namespace

TEST(Pix, ReproducesCentralBankStaticExample) {
    auto expected = read_example("bcb-static-example.txt");
    ASSERT_FALSE(expected.empty());
    PixPayload payload;
    payload.key = "123e4567-e12b-12d1-a456-426655440000";
    payload.merchant_name = "Fulano de Tal";
    payload.merchant_city = "BRASILIA";
    payload.txid = "***";
    payload.upper_case_names = false;
    EXPECT_EQ(build_pix_code(payload), expected);
}

TEST(Pix, CrcCheckValue) {
    EXPECT_EQ(crc16_ccitt_false("123456789"), 0x29B1);
    EXPECT_EQ(crc16_ccitt_false(""), 0xFFFF);
}

TEST(Pix, CentralBankExampleCrc) {
    auto example = read_example("bcb-static-example.txt");
    auto body = example.substr(0, example.size() - 4);
    EXPECT_EQ(crc16_ccitt_false(body), 0x1D3D);
    EXPECT_NO_THROW(parse_pix_code(example));
}

TEST(Pix, AmountFormatting) {
    EXPECT_EQ(format_pix_amount(1), "0.01");
    EXPECT_EQ(format_pix_amount(10), "0.10");
    EXPECT_EQ(format_pix_amount(100), "1.00");
    EXPECT_EQ(format_pix_amount(12990), "129.90");
    EXPECT_EQ(format_pix_amount(123456789), "1234567.89");
    EXPECT_EQ(format_pix_amount(999'999'999'999), "9999999999.99");
    EXPECT_THROW(format_pix_amount(0), std::invalid_argument);
    EXPECT_THROW(format_pix_amount(-5), std::invalid_argument);
    EXPECT_THROW(format_pix_amount(1'000'000'000'000), std::invalid_argument);
}

TEST(Pix, AccentStripping) {
    EXPECT_EQ(to_pix_text("São Paulo", true), "SAO PAULO");
    EXPECT_EQ(to_pix_text("Ateliê Açaí", true), "ATELIE ACAI");
    EXPECT_EQ(to_pix_text("Florianópolis", false), "Florianopolis");
    // "a" followed by U+0303 COMBINING TILDE, as in decomposed (NFD) text.
    EXPECT_EQ(to_pix_text("Sa\xCC\x83o Paulo", true), "SAO PAULO");
    EXPECT_EQ(to_pix_text("Coração & Cia.", true), "CORACAO & CIA.");
}

TEST(Pix, TextWithoutAsciiFormRejected) {
    EXPECT_THROW(to_pix_text("Joias \xE2\x9C\xA8", true), std::invalid_argument);  // U+2728 SPARKLES
    EXPECT_THROW(to_pix_text("linha\nquebrada", true), std::invalid_argument);
    EXPECT_THROW(to_pix_text("\xC3", true), std::invalid_argument);      // truncated UTF-8
    EXPECT_THROW(to_pix_text("\xC0\xAF", true), std::invalid_argument);  // overlong encoding
}

TEST(Pix, DynamicCodeRoundTrip) {
    auto code = build_pix_code(shop_payload());
    auto fields = parse_pix_code(code);
    EXPECT_EQ(field(fields, "00"), "01");
    EXPECT_EQ(field(fields, "01"), "12");
    EXPECT_EQ(field(fields, "52"), "0000");
    EXPECT_EQ(field(fields, "53"), "986");
    EXPECT_EQ(field(fields, "54"), "129.90");
    EXPECT_EQ(field(fields, "58"), "BR");
    EXPECT_EQ(field(fields, "59"), "ATELIE BIJOU");
    EXPECT_EQ(field(fields, "60"), "SAO PAULO");
    EXPECT_EQ(fields.back().id, "63");
    EXPECT_EQ(fields.back().value.size(), 4u);

    auto account = parse_emv_fields(field(fields, "26"));
    ASSERT_EQ(account.size(), 2u);
    EXPECT_EQ(account[0].id, "00");
    EXPECT_EQ(account[0].value, "br.gov.bcb.pix");
    EXPECT_EQ(account[1].id, "01");
    EXPECT_EQ(account[1].value, "pix@bijou.example");

    auto additional = parse_emv_fields(field(fields, "62"));
    ASSERT_EQ(additional.size(), 1u);
    EXPECT_EQ(additional[0].id, "05");
    EXPECT_EQ(additional[0].value, "BJ2026000123");
}

TEST(Pix, FieldOrderFollowsSpecification) {
    auto fields = parse_pix_code(build_pix_code(shop_payload()));
    std::vector<std::string> ids;
    for (const auto& entry : fields) ids.push_back(entry.id);
    std::vector<std::string> expected{"00", "01", "26", "52", "53", "54", "58", "59", "60", "62", "63"};
    EXPECT_EQ(ids, expected);
}

TEST(Pix, DescriptionGoesInMerchantAccount) {
    auto payload = shop_payload();
    payload.description = "Pedido BJ-2026-000123";
    auto account = parse_emv_fields(field(parse_pix_code(build_pix_code(payload)), "26"));
    ASSERT_EQ(account.size(), 3u);
    EXPECT_EQ(account[2].id, "02");
    EXPECT_EQ(account[2].value, "Pedido BJ-2026-000123");
}

TEST(Pix, ParserRejectsAlteredCode) {
    auto code = build_pix_code(shop_payload());
    auto altered = code;
    altered.replace(altered.find("129.90"), 6, "029.90");
    EXPECT_THROW(parse_pix_code(altered), std::invalid_argument);
    EXPECT_THROW(parse_pix_code(code.substr(0, code.size() - 1)), std::invalid_argument);
    EXPECT_THROW(parse_emv_fields("0002"), std::invalid_argument);
    EXPECT_THROW(parse_emv_fields("00020"), std::invalid_argument);
    EXPECT_THROW(parse_emv_fields("0A0201"), std::invalid_argument);
}

TEST(Pix, LengthLimitsEnforced) {
    auto payload = shop_payload();
    payload.merchant_name = "Bijuteria Artesanal da Marina";  // 29 characters
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);
    payload.merchant_name = "Bijuteria Artesanal Mari";  // 24 characters
    EXPECT_NO_THROW(build_pix_code(payload));

    payload = shop_payload();
    payload.merchant_city = "Sao Jose dos Campos";  // 19 characters
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);
    payload.merchant_city = "";
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);

    payload = shop_payload();
    payload.txid = std::string(26, 'A');
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);
    payload.txid = "BJ-2026-000123";  // dashes are not allowed
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);
    payload.txid = std::string(25, 'A');
    EXPECT_NO_THROW(build_pix_code(payload));

    payload = shop_payload();
    payload.description = std::string(80, 'x');
    EXPECT_THROW(build_pix_code(payload), std::invalid_argument);
}

TEST(Pix, KeyKindsChecked) {
    auto payload = shop_payload();
    for (const char* key : {"12345678909", "12345678000195", "+5511987654321", "123e4567-e12b-12d1-a456-426655440000",
                            "loja@bijou.example"}) {
        payload.key = key;
        EXPECT_NO_THROW(build_pix_code(payload)) << key;
    }
    for (const char* key : {"", "123", "loja bijou@example", "11987654321x", "+55 11 98765-4321"}) {
        payload.key = key;
        EXPECT_THROW(build_pix_code(payload), std::invalid_argument) << key;
    }
}

TEST(Pix, TxidFromPaymentId) {
    EXPECT_EQ(pix_txid_from_payment_id("01a242bb-e04f-77c3-924e-c1b8eab6a13f"), "be04f77c3924ec1b8eab6a13f");
    EXPECT_EQ(pix_txid_from_payment_id("01a242bb-e04f-77c3-924e-c1b8eab6a13f").size(), 25u);
    EXPECT_EQ(pix_txid_from_payment_id(""), "***");
}
