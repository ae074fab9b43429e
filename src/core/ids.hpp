#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bijou {

// A 128-bit identifier. New ids are UUIDv7 (RFC 9562): they sort by creation time, which
// keeps B-tree inserts at the right edge of the index.
class Uuid {
public:
    Uuid() = default;

    // Generates a UUIDv7 for the given Unix time; the 74 remaining bits are random.
    static Uuid v7(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    // Parses the canonical 36-character form (8-4-4-4-12 hex digits, either case).
    static std::optional<Uuid> parse(std::string_view text);

    std::string to_string() const;
    int version() const { return bytes_[6] >> 4; }
    // Milliseconds since the Unix epoch stored in a UUIDv7.
    std::uint64_t unix_ms() const;

    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    auto operator<=>(const Uuid&) const = default;

private:
    std::array<std::uint8_t, 16> bytes_{};
};

// A random request id of 32 hex characters.
std::string random_request_id();

// True for a client-supplied X-Request-Id worth echoing: 1 to 128 characters from
// [A-Za-z0-9._-], so that it is safe in logs and headers.
bool is_acceptable_request_id(std::string_view id);

}  // namespace bijou
