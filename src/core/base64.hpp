#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bijou {

// Standard base64 with padding (RFC 4648 section 4), as PostgreSQL's encode() writes it.
std::string encode_base64(std::string_view bytes);

// Decodes standard base64, skipping the line breaks PostgreSQL inserts every 76 characters.
// Returns nullopt for any other invalid input.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace bijou
