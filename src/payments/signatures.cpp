#include "payments/signatures.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace bijou::payments {

namespace {

// The parts of a "k=v,k=v" signature header: one timestamp and every v1 value.
struct SignatureHeader {
    std::string timestamp;
    std::vector<std::string> v1;
};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool is_lower_hex_sha256(std::string_view text) {
    return text.size() == 64 &&
           std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Parses "<timestamp_key>=<digits>,v1=<hex>[,...]". Unknown keys are skipped, because
// providers add schemes over time.
SignatureHeader parse_header(std::string_view header, std::string_view timestamp_key, std::string_view header_name) {
    SignatureHeader parsed;
    std::size_t start = 0;
    while (start <= header.size()) {
        auto comma = header.find(',', start);
        auto part =
            trim(header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        auto equals = part.find('=');
        if (equals == std::string_view::npos) {
            throw SignatureError(std::string(header_name) +
                                 " header is malformed: expected key=value pairs separated by commas");
        }
        auto key = trim(part.substr(0, equals));
        auto value = trim(part.substr(equals + 1));
        if (key == timestamp_key) {
            if (!parsed.timestamp.empty())
                throw SignatureError(std::string(header_name) + " header has two timestamps");
            parsed.timestamp = value;
        } else if (key == "v1") {
            std::string lower(value);
            std::ranges::transform(lower, lower.begin(), [](char c) {
                return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            });
            parsed.v1.push_back(lower);
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    bool digits = !parsed.timestamp.empty() && parsed.timestamp.size() <= 16 &&
                  std::ranges::all_of(parsed.timestamp, [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) throw SignatureError(std::string(header_name) + " header has no valid timestamp");
    if (parsed.v1.empty()) throw SignatureError(std::string(header_name) + " header has no v1 signature");
    return parsed;
}

// Milliseconds since 1970 pass 10^12 in 2001, while seconds will not for thousands of years.
constexpr std::int64_t kFirstMillisecondTimestamp = 1'000'000'000'000;

void check_timestamp(std::string_view timestamp, std::chrono::system_clock::time_point now,
                     std::chrono::seconds tolerance, std::string_view header_name, bool accept_milliseconds) {
    std::int64_t value = 0;
    std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), value);
    std::chrono::system_clock::time_point signed_at;
    if (accept_milliseconds && value >= kFirstMillisecondTimestamp) {
        signed_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(value));
    } else {
        signed_at = std::chrono::system_clock::time_point(std::chrono::seconds(value));
    }
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - signed_at);
    if (age > tolerance || age < -tolerance) {
        throw SignatureError(std::string(header_name) + " timestamp " + std::string(timestamp) + " is " +
                             std::to_string(age.count()) + " s away from now; the tolerance is " +
                             std::to_string(tolerance.count()) + " s");
    }
}

// True when any of `candidates` equals `expected`, compared in constant time.
bool any_matches(const std::vector<std::string>& candidates, const std::string& expected) {
    bool matched = false;
    for (const auto& candidate : candidates) {
        if (candidate.size() == expected.size() && is_lower_hex_sha256(candidate) &&
            CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0) {
            matched = true;
        }
    }
    return matched;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length) == nullptr) {
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0F];
    }
    return hex;
}

std::string stripe_sign(std::string_view secret, std::string_view body, std::int64_t timestamp) {
    auto t = std::to_string(timestamp);
    std::string signed_payload = t + "." + std::string(body);
    return "t=" + t + ",v1=" + hmac_sha256_hex(secret, signed_payload);
}

void stripe_verify(std::optional<std::string_view> header, std::string_view secret, std::string_view body,
                   std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (!header || trim(*header).empty()) throw SignatureError("Stripe-Signature header is missing");
    if (secret.empty()) throw SignatureError("Stripe webhook secret is not configured");
    auto parsed = parse_header(*header, "t", "Stripe-Signature");
    std::string signed_payload = parsed.timestamp + "." + std::string(body);
    if (!any_matches(parsed.v1, hmac_sha256_hex(secret, signed_payload))) {
        throw SignatureError("Stripe-Signature does not match the body");
    }
    check_timestamp(parsed.timestamp, now, tolerance, "Stripe-Signature", false);
}

std::string mercadopago_manifest(std::optional<std::string_view> data_id, std::optional<std::string_view> request_id,
                                 std::string_view timestamp) {
    std::string manifest;
    if (data_id && !data_id->empty()) {
        std::string id(*data_id);
        bool alphanumeric =
            std::ranges::all_of(id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
        if (alphanumeric) {
            std::ranges::transform(
                id, id.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        }
        manifest += "id:" + id + ";";
    }
    if (request_id && !request_id->empty()) manifest += "request-id:" + std::string(*request_id) + ";";
    if (!timestamp.empty()) manifest += "ts:" + std::string(timestamp) + ";";
    return manifest;
}

std::string mercadopago_sign(std::string_view secret, std::optional<std::string_view> data_id,
                             std::optional<std::string_view> request_id, std::int64_t timestamp) {
    auto ts = std::to_string(timestamp);
    return "ts=" + ts + ",v1=" + hmac_sha256_hex(secret, mercadopago_manifest(data_id, request_id, ts));
}

void mercadopago_verify(std::optional<std::string_view> header, std::optional<std::string_view> data_id,
                        std::optional<std::string_view> request_id, std::string_view secret,
                        std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (!header || trim(*header).empty()) throw SignatureError("x-signature header is missing");
    if (secret.empty()) throw SignatureError("Mercado Pago webhook secret is not configured");
    auto parsed = parse_header(*header, "ts", "x-signature");
    auto manifest = mercadopago_manifest(data_id, request_id, parsed.timestamp);
    if (!any_matches(parsed.v1, hmac_sha256_hex(secret, manifest))) {
        throw SignatureError("x-signature does not match the notification");
    }
    // NOTE: Mercado Pago's guide shows ts in seconds, but its Node SDK (2.13) reads it as
    // milliseconds, so both are accepted here. The manifest always uses ts as sent.
    check_timestamp(parsed.timestamp, now, tolerance, "x-signature", true);
}

}  // namespace bijou::payments
