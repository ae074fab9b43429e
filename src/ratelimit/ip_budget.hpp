#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "redis/client.hpp"

namespace bijou::ratelimit {

// The global per-IP request budget: at most `limit` requests per `window` from one client
// address, over every API replica. A Redis round trip per request would cost the catalog a
// fifth of its throughput, so each I/O thread counts locally and adds its count to Redis
// every `batch` requests or every second, learning the cluster's total in return. A client
// can therefore exceed the budget by up to `batch` requests per thread and replica before
// it gets 429. When Redis is unreachable each thread enforces the budget on its own count.
// Not thread-safe: one instance per I/O thread.
class IpBudget {
public:
    IpBudget(redis::Client& redis, int limit, std::chrono::seconds window, int batch = 16)
        : redis_(redis), limit_(limit), window_(window), batch_(batch) {}

    // Counts one request. Throws ApiError(rate_limited) with Retry-After past the budget.
    boost::asio::awaitable<void> hit(std::string_view ip);

private:
    struct Entry {
        int unsynced = 0;
        std::int64_t cluster = 0;
        std::chrono::steady_clock::time_point window_end;
        std::chrono::steady_clock::time_point last_sync;
    };

    boost::asio::awaitable<void> sync(const std::string& ip, Entry& entry);

    redis::Client& redis_;
    int limit_;
    std::chrono::seconds window_;
    int batch_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bijou::ratelimit
