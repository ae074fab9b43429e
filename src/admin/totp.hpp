#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bijou::admin {

// A new random 160-bit TOTP secret (the size RFC 4226 recommends for HMAC-SHA1).
std::string new_totp_secret();

// The otpauth:// URI an authenticator app scans to enrol `secret` for `email`.
std::string otpauth_uri(std::string_view email, std::string_view secret);

// Checks a 6-digit RFC 6238 code (30-second steps, SHA-1) against `secret`, accepting one
// step of clock drift either way. Returns the time step the code belongs to, which the
// caller stores to refuse the same code twice, or nullopt when it does not match.
std::optional<std::uint64_t> verify_totp(std::string_view secret, std::string_view code,
                                         std::chrono::system_clock::time_point now);

// Generates the code for a time, with `digits` digits; used by tests and tooling.
std::string totp_code(std::string_view secret, std::chrono::system_clock::time_point now, unsigned digits = 6);

}  // namespace bijou::admin
