#pragma once

// Pix BR Code, the "copia e cola" text a bank app reads from a Pix QR code. It follows
// EMVCo's QR Code Specification for Payment Systems, Merchant-Presented Mode (QRCPS-MPM):
// a list of fields, each a two-digit id, a two-digit length and the value, closed by a
// CRC16/CCITT-FALSE of everything before it. Banco Central do Brasil's "Manual de Padroes
// para Iniciacao do Pix" sets the Pix-specific fields.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bijou::payments {

// The inputs of a Pix BR Code.
struct PixPayload {
    // Pix key ("chave"): e-mail, phone as +55 and digits, CPF (11 digits), CNPJ (14
    // digits) or random key (UUID).
    std::string key;
    // Optional text shown by the payer's bank app, stored in the merchant account field.
    std::string description;
    // Amount in centavos. Without one the payer types the amount, and the code is static.
    std::optional<std::int64_t> amount;
    // Receiver's name, at most 25 characters once accents are removed.
    std::string merchant_name;
    // Receiver's city, at most 15 characters once accents are removed.
    std::string merchant_city;
    // Transaction id: 1 to 25 characters from [A-Za-z0-9], or "***" for none.
    std::string txid = "***";
    // Upper-cases the name and city, as most banks print them. Banco Central's own example
    // keeps "Fulano de Tal" as typed, and the format allows both.
    bool upper_case_names = true;
};

// One field of a BR Code.
struct EmvField {
    std::string id;
    std::string value;
};

// Builds the BR Code of `payload`. Throws std::invalid_argument naming the field that is
// empty, too long or has characters that cannot be encoded.
std::string build_pix_code(const PixPayload& payload);

// Returns the CRC16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection,
// no final XOR) of `data`.
std::uint16_t crc16_ccitt_false(std::string_view data);

// Formats centavos as a BR Code amount, with a dot and two decimals: 12990 -> "129.90".
// Throws std::invalid_argument unless 0 < centavos and the text fits the 13-character field.
std::string format_pix_amount(std::int64_t centavos);

// Converts UTF-8 text to the printable ASCII a BR Code allows: letters lose their accents
// ("Sao Paulo" from "São Paulo", also when the accent is a combining mark), and with
// `upper_case` letters become capitals. Throws std::invalid_argument for a character with
// no ASCII form, a control character or invalid UTF-8.
std::string to_pix_text(std::string_view utf8, bool upper_case);

// Splits EMV fields ("id, length, value" repeated) without interpreting them. Throws
// std::invalid_argument for a truncated field or a non-numeric id or length.
std::vector<EmvField> parse_emv_fields(std::string_view text);

// Checks the CRC of a complete BR Code and returns its top-level fields. Throws
// std::invalid_argument when the code is malformed or its CRC does not match.
std::vector<EmvField> parse_pix_code(std::string_view code);

// A txid derived from a payment id (UUID): its last 25 hexadecimal digits. UUIDv7 puts
// the random bits last, so two payments do not share a txid in practice.
std::string pix_txid_from_payment_id(std::string_view payment_id);

}  // namespace bijou::payments
