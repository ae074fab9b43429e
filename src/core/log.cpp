#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>
#include <chrono>
#include <ctime>

namespace bijou::log {

namespace {

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::trace: return spdlog::level::trace;
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
    }
    return spdlog::level::info;
}

std::string_view level_name(Level level) {
    switch (level) {
        case Level::trace: return "trace";
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
    }
    return "info";
}

// RFC 3339 UTC timestamp with milliseconds.
std::string timestamp() {
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", static_cast<int>(ms));
    return buffer;
}

}  // namespace

void init(std::string_view level) {
    auto logger = spdlog::stdout_logger_mt("bijou");
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::from_str(std::string(level)));
    // Warnings and errors reach the output at once; the rest at least every second.
    logger->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
    spdlog::set_default_logger(logger);
}

bool enabled(Level level) {
    return spdlog::default_logger_raw()->should_log(to_spdlog(level));
}

void write(Level level, std::string_view message, const boost::json::object& fields) {
    if (!enabled(level)) return;
    boost::json::object line;
    line.reserve(fields.size() + 3);
    line["ts"] = timestamp();
    line["level"] = level_name(level);
    line["msg"] = message;
    for (const auto& [key, value] : fields) line[key] = value;
    spdlog::default_logger_raw()->log(to_spdlog(level), boost::json::serialize(line));
}

void access(std::string_view request_id, std::string_view method, std::string_view path, unsigned status,
            std::string_view bytes, double duration_ms, std::string_view remote) {
    if (!enabled(Level::info)) return;
    // Only the path can hold characters that need JSON escaping: the request id is
    // filtered on input, the method is an HTTP token and the rest are numbers or an IP.
    auto line = fmt::format(
        R"({{"ts":"{}","level":"info","msg":"request","request_id":"{}","method":"{}","path":{},"status":{},"bytes":{},"duration_ms":{:.3f},"remote":"{}"}})",
        timestamp(), request_id, method, boost::json::serialize(boost::json::string(path)), status,
        bytes.empty() ? "0" : bytes, duration_ms, remote);
    spdlog::default_logger_raw()->log(spdlog::level::info, line);
}

}  // namespace bijou::log
