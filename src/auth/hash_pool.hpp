#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <utility>

#include "core/error.hpp"

namespace bijou::auth {

// Runs CPU-heavy password work (Argon2id) off the I/O threads. At most `threads` hashes
// run at once, so memory use stays at threads x the Argon2id memory cost, and at most
// `max_pending` are running or waiting. Past that a request gets 503 at once instead of
// queueing without bound during a login storm. Shared by all I/O threads.
class HashPool {
public:
    HashPool(std::size_t threads, std::size_t max_pending) : pool_(threads), max_pending_(max_pending) {}
    ~HashPool() { pool_.join(); }
    HashPool(const HashPool&) = delete;
    HashPool& operator=(const HashPool&) = delete;

    // Runs `work()` on the pool and resumes the caller on its own executor with the result.
    // Throws ApiError(service_unavailable) when the queue is full.
    // `work` is taken by reference because the caller awaits at once; it is copied into
    // the pool's coroutine.
    template <typename Work>
    auto run(const Work& work) -> boost::asio::awaitable<decltype(work())> {
        if (pending_.fetch_add(1) >= max_pending_) {
            pending_.fetch_sub(1);
            throw ApiError(ErrorCode::service_unavailable, "password hashing queue is full");
        }
        struct Release {
            std::atomic<std::size_t>& counter;
            ~Release() { counter.fetch_sub(1); }
        } release{pending_};
        auto task = invoke(work);
        co_return co_await boost::asio::co_spawn(pool_, std::move(task), boost::asio::use_awaitable);
    }

    std::size_t pending() const { return pending_.load(); }

private:
    template <typename Work>
    static auto invoke(Work work) -> boost::asio::awaitable<decltype(work())> {
        co_return work();
    }

    boost::asio::thread_pool pool_;
    std::size_t max_pending_;
    std::atomic<std::size_t> pending_{0};
};

}  // namespace bijou::auth
