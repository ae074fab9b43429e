#include "ratelimit/limiter.hpp"

#include <mutex>
#include <unordered_map>

#include "core/error.hpp"
#include "core/log.hpp"

namespace bijou::ratelimit {

namespace {

// Increments the window's counter, starting its expiry on the first hit, and returns the
// count and the milliseconds left in the window.
constexpr std::string_view kHitScript = R"(
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
)";

// Local windows kept before expired ones are swept.
constexpr std::size_t kMaxLocalWindows = 100'000;

struct LocalWindow {
    int count = 0;
    std::chrono::steady_clock::time_point ends;
};

std::mutex local_mutex;
std::unordered_map<std::string, LocalWindow> local_windows;

}  // namespace

std::pair<int, std::chrono::milliseconds> hit_locally(const std::string& key, const Rule& rule) {
    std::lock_guard lock(local_mutex);
    auto now = std::chrono::steady_clock::now();
    if (local_windows.size() > kMaxLocalWindows) {
        std::erase_if(local_windows, [&](const auto& entry) { return entry.second.ends <= now; });
    }
    auto& window = local_windows[key];
    if (window.ends <= now) window = LocalWindow{0, now + rule.window};
    ++window.count;
    return {window.count, std::chrono::duration_cast<std::chrono::milliseconds>(window.ends - now)};
}

void clear_locally(const std::string& key) {
    std::lock_guard lock(local_mutex);
    local_windows.erase(key);
}

boost::asio::awaitable<void> Limiter::clear(std::string_view rule_name, std::string_view key) {
    std::string redis_key = "rl:" + std::string(rule_name) + ":" + std::string(key);
    clear_locally(redis_key);
    try {
        std::vector<std::string> command{"DEL", redis_key};
        co_await redis_.command(std::move(command));
    } catch (const std::exception& error) {
        log::warn("rate limit not cleared", {{"rule", rule_name}, {"error", error.what()}});
    }
}

boost::asio::awaitable<void> Limiter::hit(const Rule& rule, std::string_view key) {
    std::string redis_key = "rl:" + std::string(rule.name) + ":" + std::string(key);
    int count = 0;
    std::chrono::milliseconds left{0};
    try {
        std::vector<std::string> command{std::string("EVAL"), std::string(kHitScript), std::string("1"), redis_key,
                                         std::to_string(std::chrono::milliseconds(rule.window).count())};
        auto reply = co_await redis_.command(std::move(command));
        count = static_cast<int>(reply.elements.at(0).integer);
        left = std::chrono::milliseconds(reply.elements.at(1).integer);
    } catch (const std::exception& error) {
        log::warn("rate limit falls back to this process", {{"rule", rule.name}, {"error", error.what()}});
        std::tie(count, left) = hit_locally(redis_key, rule);
    }
    if (count <= rule.limit) co_return;

    auto retry_after = std::max<std::int64_t>(1, (left.count() + 999) / 1000);
    throw ApiError(ErrorCode::rate_limited, "rate limit " + std::string(rule.name) + " exceeded",
                   {{"retry_after", std::to_string(retry_after)}});
}

}  // namespace bijou::ratelimit
