#pragma once

#include <string_view>

namespace bijou {

// True for a plausible e-mail address: one '@' after a local part of 1 to 64 characters, a
// domain with a dot inside it, at most 254 characters, and no spaces, controls, quotes,
// commas or angle brackets, which could break a mail header.
bool is_plausible_email(std::string_view email);

// True for a phone number in E.164 form, such as +5511987654321: '+', then 8 to 15 digits,
// the first not 0.
bool is_e164_phone(std::string_view phone);

}  // namespace bijou
