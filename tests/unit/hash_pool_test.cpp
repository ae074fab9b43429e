#include "auth/hash_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <thread>

namespace asio = boost::asio;

TEST(HashPool, RunsWorkOffTheCallingThread) {
    bijou::auth::HashPool pool(1, 4);
    asio::io_context io;
    auto caller = std::this_thread::get_id();
    auto future = asio::co_spawn(io, [&]() -> asio::awaitable<bool> {
        auto worker = co_await pool.run([] { return std::this_thread::get_id(); });
        // The coroutine resumes on the io_context's thread after the work.
        co_return worker != caller && std::this_thread::get_id() == caller;
    }, asio::use_future);
    io.run();
    EXPECT_TRUE(future.get());
}

TEST(HashPool, RejectsWhenQueueIsFull) {
    bijou::auth::HashPool pool(1, 2);
    asio::io_context io;
    std::vector<std::future<int>> results;
    for (int i = 0; i < 5; ++i) {
        results.push_back(asio::co_spawn(io, [&pool, i]() -> asio::awaitable<int> {
            co_return co_await pool.run([i] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                return i;
            });
        }, asio::use_future));
    }
    io.run();
    int completed = 0;
    int rejected = 0;
    for (auto& result : results) {
        try {
            result.get();
            ++completed;
        } catch (const bijou::ApiError& error) {
            EXPECT_EQ(error.code(), bijou::ErrorCode::service_unavailable);
            ++rejected;
        }
    }
    EXPECT_EQ(completed, 2);
    EXPECT_EQ(rejected, 3);
    EXPECT_EQ(pool.pending(), 0u);
}

TEST(HashPool, PropagatesExceptions) {
    bijou::auth::HashPool pool(1, 4);
    asio::io_context io;
    auto future = asio::co_spawn(io, [&]() -> asio::awaitable<int> {
        co_return co_await pool.run([]() -> int { throw std::runtime_error("out of memory"); });
    }, asio::use_future);
    io.run();
    EXPECT_THROW(future.get(), std::runtime_error);
    EXPECT_EQ(pool.pending(), 0u);
}
