#include "mail/message.hpp"

#include <sodium.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "core/base64.hpp"
#include "core/ids.hpp"

namespace bijou::mail {

namespace {

// 45 bytes of UTF-8 encode to 60 base64 characters, which with "=?UTF-8?B?" and "?=" stay
// under the 75-character limit of an encoded word.
constexpr std::size_t kWordBytes = 45;

// RFC 2047 "B" encoded words, folded onto new lines.
std::string encoded_words(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + kWordBytes);
        // Never split a UTF-8 sequence: back up to the start of a character.
        while (end < text.size() && end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + encode_base64(text.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

bool is_header_safe(std::string_view text) {
    return std::ranges::all_of(text, [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x7f && c != '"' && c != '=' && c != '?' && c != '\\';
    });
}

const Address& checked(const Address& address) {
    const auto& email = address.email;
    bool bad = email.empty() || email.find('@') == std::string::npos ||
               std::ranges::any_of(email, [](char c) {
                   auto byte = static_cast<unsigned char>(c);
                   return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == ',' || c == '"';
               });
    if (bad) throw std::invalid_argument("e-mail address not fit for a mail header");
    return address;
}

// A display name goes out as it is only when made of letters, digits, spaces, hyphens and
// apostrophes (RFC 5322 atext). Anything else, such as "Souza, Ana" whose comma would split
// the address list, goes out as an encoded word.
std::string display_name(std::string_view name) {
    bool plain = std::ranges::all_of(name, [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x80 && (std::isalnum(byte) != 0 || c == ' ' || c == '-' || c == '\'');
    });
    if (plain) return std::string(name);
    return encoded_words(name);
}

std::string mailbox(const Address& address) {
    const auto& checked_address = checked(address);
    if (checked_address.name.empty()) return "<" + checked_address.email + ">";
    return display_name(checked_address.name) + " <" + checked_address.email + ">";
}

// Base64 in lines of 76 characters, as MIME requires.
std::string base64_lines(std::string_view bytes) {
    auto encoded = encode_base64(bytes);
    std::string out;
    out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
        out.append(encoded, i, 76);
        out += "\r\n";
    }
    return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point now) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

std::string boundary() {
    unsigned char random[12];
    randombytes_buf(random, sizeof random);
    char hex[sizeof random * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, random, sizeof random);
    return std::string("=_bijou_") + hex;
}

}  // namespace

std::string encode_header_text(std::string_view text) {
    if (is_header_safe(text)) return std::string(text);
    return encoded_words(text);
}

Message compose(const MailConfig& config, Address to, Content content) {
    Message message;
    message.from = {config.from_address, config.from_name};
    message.to = std::move(to);
    message.content = std::move(content);
    message.id_domain = config.from_address.substr(config.from_address.find('@') + 1);
    return message;
}

std::string format(const Message& message, std::chrono::system_clock::time_point now) {
    auto separator = boundary();
    std::string out;
    out += "From: " + mailbox(message.from) + "\r\n";
    out += "To: " + mailbox(message.to) + "\r\n";
    out += "Subject: " + encode_header_text(message.content.subject) + "\r\n";
    out += "Date: " + rfc5322_date(now) + "\r\n";
    out += "Message-ID: <" + Uuid::v7(now).to_string() + "@" + message.id_domain + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + separator + "\"\r\n";
    out += "\r\n";
    out += "--" + separator + "\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(message.content.text);
    out += "--" + separator + "\r\n";
    out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(message.content.html);
    out += "--" + separator + "--\r\n";
    return out;
}

}  // namespace bijou::mail
