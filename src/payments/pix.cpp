#include "payments/pix.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace bijou::payments {

namespace {

constexpr std::string_view kPixGui = "br.gov.bcb.pix";
constexpr std::size_t kMaxFieldLength = 99;
constexpr std::size_t kMaxNameLength = 25;
constexpr std::size_t kMaxCityLength = 15;
constexpr std::size_t kMaxTxidLength = 25;
// The amount field has at most 13 characters: "9999999999.99".
constexpr std::int64_t kMaxAmountCentavos = 999'999'999'999;

// Appends one field: two-digit id, two-digit length, value.
void append_field(std::string& out, std::string_view id, std::string_view value) {
    if (value.size() > kMaxFieldLength) {
        throw std::invalid_argument("Pix field " + std::string(id) + " is " + std::to_string(value.size()) +
                                    " characters long; the maximum is 99");
    }
    out += id;
    if (value.size() < 10) out += '0';
    out += std::to_string(value.size());
    out += value;
}

bool is_digits(std::string_view text) {
    return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

bool is_alphanumeric(std::string_view text) {
    return std::ranges::all_of(text, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_position != (text[i] == '-')) return false;
        if (!dash_position && std::isxdigit(static_cast<unsigned char>(text[i])) == 0) return false;
    }
    return true;
}

bool is_email_key(std::string_view text) {
    auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size() || text.size() > 77) return false;
    return std::ranges::all_of(text, [](char c) { return c > 0x20 && c < 0x7f; });
}

// Accepts the five kinds of Pix key that Banco Central defines.
void check_key(std::string_view key) {
    bool phone = key.size() >= 12 && key.size() <= 15 && key[0] == '+' && is_digits(key.substr(1));
    bool cpf_or_cnpj = is_digits(key) && (key.size() == 11 || key.size() == 14);
    if (phone || cpf_or_cnpj || is_uuid(key) || is_email_key(key)) return;
    throw std::invalid_argument(
        "Pix key '" + std::string(key) +
        "' is invalid: expected an e-mail, +55 and a phone number, a CPF, a CNPJ or a random key (UUID)");
}

// ASCII spelling of U+00C0 to U+00FF, or "" where there is none (the multiplication
// and division signs).
constexpr std::string_view kLatin1Letters[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",   // U+00C0
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",  // U+00D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // U+00E0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // U+00F0
};

// Decodes one UTF-8 sequence at `text[i]`, advancing i. Returns nullopt when invalid.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t point = 0;
    if (byte < 0x80) {
        ++i;
        return byte;
    } else if ((byte & 0xE0) == 0xC0) {
        extra = 1;
        point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
        extra = 2;
        point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
        extra = 3;
        point = byte & 0x07;
    } else {
        return std::nullopt;
    }
    if (i + extra >= text.size()) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
        auto continuation = static_cast<unsigned char>(text[i + k]);
        if ((continuation & 0xC0) != 0x80) return std::nullopt;
        point = (point << 6) | (continuation & 0x3F);
    }
    // Overlong forms and surrogates are invalid UTF-8.
    constexpr char32_t kMinimum[4] = {0, 0x80, 0x800, 0x10000};
    if (point < kMinimum[extra] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return std::nullopt;
    i += extra + 1;
    return point;
}

}  // namespace

std::uint16_t crc16_ccitt_false(std::string_view data) {
    std::uint16_t crc = 0xFFFF;
    for (char c : data) {
        crc = static_cast<std::uint16_t>(crc ^ (static_cast<unsigned char>(c) << 8));
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x8000) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                      : static_cast<std::uint16_t>(crc << 1);
        }
    }
    return crc;
}

std::string format_pix_amount(std::int64_t centavos) {
    if (centavos <= 0 || centavos > kMaxAmountCentavos) {
        throw std::invalid_argument("Pix amount " + std::to_string(centavos) +
                                    " centavos is out of range: expected 1 to 999999999999");
    }
    auto cents = centavos % 100;
    return std::to_string(centavos / 100) + (cents < 10 ? ".0" : ".") + std::to_string(cents);
}

std::string to_pix_text(std::string_view utf8, bool upper_case) {
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        auto point = next_code_point(utf8, i);
        if (!point) throw std::invalid_argument("text '" + std::string(utf8) + "' is not valid UTF-8");
        if (*point >= 0x300 && *point <= 0x36F) continue;  // a combining accent, as in decomposed (NFD) text
        std::string_view ascii;
        char single = 0;
        if (*point >= 0x20 && *point < 0x7F) {
            single = static_cast<char>(*point);
            ascii = std::string_view(&single, 1);
        } else if (*point >= 0xC0 && *point <= 0xFF) {
            ascii = kLatin1Letters[*point - 0xC0];
        }
        if (ascii.empty()) {
            char hex[9];
            std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(*point));
            throw std::invalid_argument("text '" + std::string(utf8) + "' has a character (U+" + hex +
                                        ") that a Pix code cannot hold: use letters, digits and ASCII punctuation");
        }
        for (char c : ascii) out += upper_case ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    }
    return out;
}

std::string build_pix_code(const PixPayload& payload) {
    check_key(payload.key);

    std::string merchant_account;
    append_field(merchant_account, "00", kPixGui);
    append_field(merchant_account, "01", payload.key);
    if (!payload.description.empty()) append_field(merchant_account, "02", to_pix_text(payload.description, false));

    auto name = to_pix_text(payload.merchant_name, payload.upper_case_names);
    if (name.empty() || name.size() > kMaxNameLength) {
        throw std::invalid_argument("Pix merchant name '" + name + "' must have 1 to 25 characters");
    }
    auto city = to_pix_text(payload.merchant_city, payload.upper_case_names);
    if (city.empty() || city.size() > kMaxCityLength) {
        throw std::invalid_argument("Pix merchant city '" + city + "' must have 1 to 15 characters");
    }
    const auto& txid = payload.txid;
    bool txid_ok = txid == "***" || (!txid.empty() && txid.size() <= kMaxTxidLength && is_alphanumeric(txid));
    if (!txid_ok) {
        throw std::invalid_argument("Pix txid '" + txid + "' must be *** or 1 to 25 letters and digits");
    }

    std::string code;
    append_field(code, "00", "01");  // payload format indicator
    // Point of initiation method 12: the code is for this one payment. Static codes omit it.
    if (payload.amount) append_field(code, "01", "12");
    append_field(code, "26", merchant_account);
    append_field(code, "52", "0000");  // merchant category code: not informed
    append_field(code, "53", "986");   // ISO 4217 code of the real (BRL)
    if (payload.amount) append_field(code, "54", format_pix_amount(*payload.amount));
    append_field(code, "58", "BR");
    append_field(code, "59", name);
    append_field(code, "60", city);
    std::string additional;
    append_field(additional, "05", txid);
    append_field(code, "62", additional);

    code += "6304";
    char crc[5];
    std::snprintf(crc, sizeof crc, "%04X", static_cast<unsigned>(crc16_ccitt_false(code)));
    code += crc;
    return code;
}

std::vector<EmvField> parse_emv_fields(std::string_view text) {
    std::vector<EmvField> fields;
    std::size_t position = 0;
    while (position < text.size()) {
        if (text.size() - position < 4) {
            throw std::invalid_argument("EMV field at offset " + std::to_string(position) + " is truncated");
        }
        auto id = text.substr(position, 2);
        auto length_text = text.substr(position + 2, 2);
        if (!is_digits(id) || !is_digits(length_text)) {
            throw std::invalid_argument("EMV field at offset " + std::to_string(position) +
                                        " has a non-numeric id or length");
        }
        auto length = static_cast<std::size_t>((length_text[0] - '0') * 10 + (length_text[1] - '0'));
        if (text.size() - position - 4 < length) {
            throw std::invalid_argument("EMV field " + std::string(id) + " declares " + std::to_string(length) +
                                        " characters but fewer remain");
        }
        fields.push_back({std::string(id), std::string(text.substr(position + 4, length))});
        position += 4 + length;
    }
    return fields;
}

std::vector<EmvField> parse_pix_code(std::string_view code) {
    if (code.size() < 8 || code.substr(code.size() - 8, 4) != "6304") {
        throw std::invalid_argument("Pix code does not end with a CRC field (6304 and four hex digits)");
    }
    auto body = code.substr(0, code.size() - 4);
    char expected[5];
    std::snprintf(expected, sizeof expected, "%04X", static_cast<unsigned>(crc16_ccitt_false(body)));
    std::string given(code.substr(code.size() - 4));
    std::ranges::transform(given, given.begin(),
                           [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (given != expected) {
        throw std::invalid_argument("Pix code CRC is " + given + " but its content gives " + expected);
    }
    auto fields = parse_emv_fields(code);
    if (fields.empty() || fields.front().id != "00" || fields.front().value != "01") {
        throw std::invalid_argument("Pix code does not start with payload format indicator 000201");
    }
    return fields;
}

std::string pix_txid_from_payment_id(std::string_view payment_id) {
    std::string digits;
    for (char c : payment_id) {
        if (std::isxdigit(static_cast<unsigned char>(c)) != 0) digits += c;
    }
    if (digits.size() > kMaxTxidLength) digits.erase(0, digits.size() - kMaxTxidLength);
    if (digits.empty()) return "***";
    return digits;
}

}  // namespace bijou::payments
