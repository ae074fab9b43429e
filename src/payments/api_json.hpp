#pragma once

// Reading the JSON bodies of provider APIs and webhooks.

#include <boost/json/value.hpp>

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace bijou::payments {

// Follows object keys from `root`; returns nullptr when a key is missing or a step is not
// an object.
const boost::json::value* find_path(const boost::json::value& root, std::initializer_list<std::string_view> path);

// The string or integer at `path`, as text (providers send some ids as numbers), or ""
// when it is missing, null or of another type.
std::string text_at(const boost::json::value& root, std::initializer_list<std::string_view> path);

// Parses an RFC 3339 timestamp with a Z or +hh:mm offset and optional fractional
// seconds, e.g. "2026-12-05T10:00:00.000-03:00". Returns nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// Formats a time in Brasilia time (UTC-3, no daylight saving time since 2019) with
// milliseconds, e.g. "2026-12-05T10:00:00.000-03:00", as Mercado Pago's examples write it.
std::string format_brasilia_time(std::chrono::system_clock::time_point time);

}  // namespace bijou::payments
