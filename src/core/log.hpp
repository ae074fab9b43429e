#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace bijou::log {

enum class Level { trace, debug, info, warn, error };

// Configures the process logger: one JSON object per line on standard output.
// `level` is one of trace, debug, info, warn, error, off.
void init(std::string_view level);

bool enabled(Level level);

// Writes {"ts", "level", "msg", ...fields} as one line. Never pass secrets in `fields`.
void write(Level level, std::string_view message, const boost::json::object& fields = {});

// Writes the access-log line of one request. Same format as write(), built without an
// intermediate JSON object because it runs once per request.
void access(std::string_view request_id, std::string_view method, std::string_view path, unsigned status,
            std::string_view bytes, double duration_ms, std::string_view remote);

inline void debug(std::string_view message, const boost::json::object& fields = {}) { write(Level::debug, message, fields); }
inline void info(std::string_view message, const boost::json::object& fields = {}) { write(Level::info, message, fields); }
inline void warn(std::string_view message, const boost::json::object& fields = {}) { write(Level::warn, message, fields); }
inline void error(std::string_view message, const boost::json::object& fields = {}) { write(Level::error, message, fields); }

}  // namespace bijou::log
