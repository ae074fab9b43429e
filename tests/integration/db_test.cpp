// The asynchronous PostgreSQL pool and Redis client against the real test stack.

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "core/error.hpp"
#include "db/pool.hpp"
#include "redis/client.hpp"
#include "support/stack.hpp"

namespace asio = boost::asio;
using bijou::db::DbError;
using bijou::db::Pool;
using bijou::db::Statement;

namespace {

std::string database_url;

class DbEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        ASSERT_GE(sodium_init(), 0);
        database_url = bijou::testing::fresh_database("it_db");
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new DbEnvironment);

bijou::DatabaseConfig pool_config(unsigned size) {
    bijou::DatabaseConfig config;
    config.url = database_url;
    config.pool_size = size;
    config.statement_timeout = std::chrono::milliseconds(500);
    config.acquire_timeout = std::chrono::milliseconds(200);
    return config;
}

// Runs `io` until `future` is ready. io.run() alone would not return while the Redis
// client's read loop keeps a read pending.
template <typename T>
void run_until_ready(asio::io_context& io, std::future<T>& future) {
    io.restart();
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
}

// Runs one coroutine to completion on `io` and returns its result (or rethrows).
template <typename T>
T run(asio::io_context& io, asio::awaitable<T> work) {
    auto future = asio::co_spawn(io, std::move(work), asio::use_future);
    run_until_ready(io, future);
    return future.get();
}

const Statement kSleep{"test.sleep", "SELECT pg_sleep($1::double precision / 1000)"};
const Statement kCount{"test.count", "SELECT count(*) FROM collection WHERE slug LIKE 'teste-%'"};
const Statement kInsert{"test.insert", "INSERT INTO collection (slug, name) VALUES ($1, 'Teste')"};

}  // namespace

TEST(Pool, RunsPreparedStatementsRepeatedly) {
    asio::io_context io;
    auto config = pool_config(2);
    Pool pool(io, config);
    auto rows = run(io, [&]() -> asio::awaitable<int> {
        int total = 0;
        for (int i = 0; i < 50; ++i) {
            bijou::db::Params params{std::to_string(i)};
            auto result = co_await pool.query(Statement{"test.echo", "SELECT $1::integer + 1"}, params);
            total += static_cast<int>(result.int64(0, 0));
        }
        co_return total;
    }());
    EXPECT_EQ(rows, 50 * 51 / 2);
}

TEST(Pool, StatementTimeoutCancelsQuery) {
    asio::io_context io;
    auto config = pool_config(1);
    Pool pool(io, config);
    try {
        run(io, [&]() -> asio::awaitable<int> {
            bijou::db::Params params{std::string("2000")};
            co_await pool.query(kSleep, params);
            co_return 0;
        }());
        FAIL() << "a 2 s sleep passed a 500 ms statement timeout";
    } catch (const DbError& error) {
        EXPECT_EQ(error.sqlstate(), "57014") << error.what();
    }
    // The connection stays usable after a cancelled statement.
    auto value = run(io, [&]() -> asio::awaitable<std::int64_t> {
        auto result = co_await pool.query(Statement{"test.one", "SELECT 1"});
        co_return result.int64(0, 0);
    }());
    EXPECT_EQ(value, 1);
}

TEST(Pool, ExhaustedPoolAnswersServiceUnavailable) {
    asio::io_context io;
    auto config = pool_config(1);
    Pool pool(io, config);
    auto slow = asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        bijou::db::Params params{std::string("400")};
        co_await pool.query(kSleep, params);
    }, asio::use_future);
    auto waiting = asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        co_await pool.query(Statement{"test.one", "SELECT 1"});
    }, asio::use_future);
    io.run();
    EXPECT_NO_THROW(slow.get());
    try {
        waiting.get();
        FAIL() << "the second query got a connection from a pool of one";
    } catch (const bijou::ApiError& error) {
        EXPECT_EQ(error.code(), bijou::ErrorCode::service_unavailable);
    }
}

TEST(Pool, WaiterGetsReleasedConnection) {
    asio::io_context io;
    auto config = pool_config(1);
    config.acquire_timeout = std::chrono::milliseconds(2000);
    Pool pool(io, config);
    std::vector<std::future<void>> queries;
    for (int i = 0; i < 5; ++i) {
        queries.push_back(asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            bijou::db::Params params{std::string("20")};
            co_await pool.query(kSleep, params);
        }, asio::use_future));
    }
    io.run();
    for (auto& query : queries) EXPECT_NO_THROW(query.get());
}

TEST(Pool, TransactionCommitsOrRollsBack) {
    asio::io_context io;
    auto config = pool_config(1);
    Pool pool(io, config);

    run(io, pool.transaction([](bijou::db::Connection& connection) -> asio::awaitable<void> {
        bijou::db::Params params{std::string("teste-commit")};
        co_await connection.execute(kInsert, params);
    }));

    EXPECT_THROW(run(io, pool.transaction([](bijou::db::Connection& connection) -> asio::awaitable<void> {
                     bijou::db::Params params{std::string("teste-rollback")};
                     co_await connection.execute(kInsert, params);
                     throw std::runtime_error("business rule failed");
                 })),
                 std::runtime_error);

    // A failing statement rolls back the statements before it too.
    EXPECT_THROW(run(io, pool.transaction([](bijou::db::Connection& connection) -> asio::awaitable<void> {
                     bijou::db::Params first{std::string("teste-antes-do-erro")};
                     co_await connection.execute(kInsert, first);
                     bijou::db::Params duplicate{std::string("teste-commit")};
                     co_await connection.execute(kInsert, duplicate);
                 })),
                 DbError);

    auto count = run(io, [&]() -> asio::awaitable<std::int64_t> {
        auto result = co_await pool.query(kCount);
        co_return result.int64(0, 0);
    }());
    EXPECT_EQ(count, 1);
}

TEST(Pool, UnreachableDatabaseIsServiceUnavailable) {
    asio::io_context io;
    auto config = pool_config(1);
    config.url = "postgresql://bijou@127.0.0.1:1/bijou";
    Pool pool(io, config);
    try {
        run(io, [&]() -> asio::awaitable<int> {
            co_await pool.query(Statement{"test.one", "SELECT 1"});
            co_return 0;
        }());
        FAIL() << "query on a closed port succeeded";
    } catch (const bijou::ApiError& error) {
        EXPECT_EQ(error.code(), bijou::ErrorCode::service_unavailable);
    }
}

TEST(Redis, CommandsAndErrors) {
    asio::io_context io;
    bijou::RedisConfig config;
    config.url = "redis://127.0.0.1:" + bijou::testing::required_env("BIJOU_TEST_REDIS_PORT") + "/0";
    bijou::redis::Client client(io, config);
    auto value = run(io, [&]() -> asio::awaitable<std::string> {
        // Arguments are built in named variables: GCC 12 miscompiles a braced list inside
        // a co_await expression ("array used as initializer").
        std::vector<std::string> set{std::string("SET"), std::string("bijou:test"), std::string("olá\r\nmundo")};
        co_await client.command(std::move(set));
        std::vector<std::string> get{std::string("GET"), std::string("bijou:test")};
        auto reply = co_await client.command(std::move(get));
        co_return reply.text;
    }());
    EXPECT_EQ(value, "olá\r\nmundo");

    EXPECT_THROW(run(io, [&]() -> asio::awaitable<int> {
                     std::vector<std::string> unknown{std::string("NOSUCHCOMMAND")};
                     co_await client.command(std::move(unknown));
                     co_return 0;
                 }()),
                 bijou::redis::RedisError);

    // Pipelined commands from concurrent coroutines get their own replies.
    auto prefix = "bijou:test:" + std::to_string(randombytes_random()) + ":";
    std::vector<std::future<std::int64_t>> replies;
    for (int i = 0; i < 20; ++i) {
        replies.push_back(asio::co_spawn(io, [&client, &prefix, i]() -> asio::awaitable<std::int64_t> {
            std::vector<std::string> increment{std::string("INCRBY"), prefix + std::to_string(i), std::to_string(i)};
            auto reply = co_await client.command(std::move(increment));
            co_return reply.integer;
        }, asio::use_future));
    }
    for (auto& reply : replies) run_until_ready(io, reply);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(replies[static_cast<std::size_t>(i)].get(), i);
}
