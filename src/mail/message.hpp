#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "mail/template.hpp"

namespace bijou::mail {

struct Address {
    std::string email;
    // Display name; may hold any UTF-8 text, which is encoded for the header.
    std::string name;
};

// One outgoing message with its envelope.
struct Message {
    Address from;
    Address to;
    Content content;
    // Domain part of the Message-ID header.
    std::string id_domain = "bijou.example";
};

// Builds a message from the shop's sender (mail.from_address, mail.from_name) to `to`, with
// a Message-ID in the sender's domain.
Message compose(const MailConfig& config, Address to, Content content);

// Formats `message` as RFC 5322 text with CRLF line ends: UTF-8 headers as RFC 2047
// encoded words, a multipart/alternative body with the plain-text part first and the HTML
// part second, each in base64. Throws std::invalid_argument for an address that could
// break out of its header (CR, LF, angle brackets, no '@').
std::string format(const Message& message, std::chrono::system_clock::time_point now);

// Encodes `text` for a header as RFC 2047 "B" encoded words of at most 75 characters each,
// folded onto new lines. Plain ASCII without specials comes back unchanged.
std::string encode_header_text(std::string_view text);

}  // namespace bijou::mail
