#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "redis/client.hpp"

namespace bijou::ratelimit {

// A budget: at most `limit` hits per `window` for one key (an IP, a hashed e-mail).
struct Rule {
    std::string_view name;
    int limit;
    std::chrono::seconds window;
};

// Counts hits in fixed windows in Redis, so every API replica shares the budget.
//
// When Redis is unreachable the limiter falls back to counting in this process: the
// budget then applies per replica instead of per cluster, which keeps brute force slowed
// without turning a Redis outage into a login outage.
class Limiter {
public:
    explicit Limiter(redis::Client& redis) : redis_(redis) {}

    // Counts one hit. Throws ApiError(rate_limited) carrying Retry-After when the key is
    // over its budget.
    boost::asio::awaitable<void> hit(const Rule& rule, std::string_view key);

    // Starts the budget `rule_name` of `key` again, in Redis and in this process's fallback.
    // A failure is logged, not thrown: the window then ends on its own.
    boost::asio::awaitable<void> clear(std::string_view rule_name, std::string_view key);

private:
    redis::Client& redis_;
};

// Counts hits in this process, for when Redis is unreachable. Shared by all I/O threads
// behind a mutex, which only this fallback path takes.
std::pair<int, std::chrono::milliseconds> hit_locally(const std::string& key, const Rule& rule);
void clear_locally(const std::string& key);

}  // namespace bijou::ratelimit
