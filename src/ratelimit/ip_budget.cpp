#include "ratelimit/ip_budget.hpp"

#include "core/error.hpp"
#include "core/log.hpp"

namespace bijou::ratelimit {

namespace {

// Adds a thread's count to the window's counter, starting its expiry on the first add,
// and returns the total and the milliseconds left.
constexpr std::string_view kAddScript = R"(
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {count, redis.call('PTTL', KEYS[1])}
)";

constexpr std::size_t kMaxEntries = 100'000;
constexpr std::chrono::seconds kSyncEvery{1};

}  // namespace

boost::asio::awaitable<void> IpBudget::hit(std::string_view ip) {
    auto now = std::chrono::steady_clock::now();
    if (entries_.size() > kMaxEntries) {
        std::erase_if(entries_, [&](const auto& item) { return item.second.window_end <= now; });
        // A flood from many addresses within one window: forget the local counts. Counts
        // already added to Redis still hold.
        if (entries_.size() > kMaxEntries) entries_.clear();
    }
    std::string key(ip);
    {
        auto& entry = entries_[key];
        if (entry.window_end <= now) entry = Entry{0, 0, now + window_, now};
        ++entry.unsynced;
        if (entry.unsynced >= batch_ || now - entry.last_sync >= kSyncEvery) co_await sync(key, entry);
    }
    // Looked up again: another request may have changed the map while sync() waited.
    auto& entry = entries_[key];
    if (entry.window_end <= now) entry = Entry{1, 0, now + window_, now};
    if (entry.cluster + entry.unsynced <= limit_) co_return;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(entry.window_end - now).count();
    auto retry_after = std::max<std::int64_t>(1, (left + 999) / 1000);
    throw ApiError(ErrorCode::rate_limited, "global per-IP budget exceeded", {{"retry_after", std::to_string(retry_after)}});
}

boost::asio::awaitable<void> IpBudget::sync(const std::string& ip, Entry& entry) {
    // `entry` is used only before the first suspension: the map may change afterwards.
    entry.last_sync = std::chrono::steady_clock::now();
    int adding = entry.unsynced;
    try {
        std::vector<std::string> command{"EVAL", std::string(kAddScript), "1", "rl:ip:" + ip, std::to_string(adding),
                                         std::to_string(std::chrono::milliseconds(window_).count())};
        auto reply = co_await redis_.command(std::move(command));
        // `entry` may have been reset by a request that ran while this one waited.
        auto& current = entries_[ip];
        current.cluster = reply.elements.at(0).integer;
        current.unsynced = std::max(0, current.unsynced - adding);
        current.window_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.elements.at(1).integer);
    } catch (const std::exception& error) {
        // Keep counting here; the local count still bounds this thread's share.
        log::debug("global IP budget not synced", {{"error", error.what()}});
    }
}

}  // namespace bijou::ratelimit
