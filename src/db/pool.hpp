#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/config.hpp"
#include "db/result.hpp"

namespace bijou::db {

// One PostgreSQL connection driven without blocking: libpq in non-blocking mode, its
// socket watched by Asio. Statements are prepared on first use and reused afterwards.
class Connection {
public:
    Connection(boost::asio::io_context& io, PGconn* conn);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Opens a connection asynchronously. Throws DbError when it fails or times out.
    static boost::asio::awaitable<std::unique_ptr<Connection>> open(boost::asio::io_context& io,
                                                                    const DatabaseConfig& config);

    // Runs a prepared statement. Throws DbError on failure.
    boost::asio::awaitable<Result> execute(const Statement& statement, const Params& params = {});
    // Runs one SQL command without parameters (BEGIN, COMMIT, ROLLBACK).
    boost::asio::awaitable<Result> execute_simple(const char* sql);

    // False once a call failed in a way that leaves the protocol state unknown.
    bool usable() const { return usable_ && PQstatus(conn_) == CONNECTION_OK; }

private:
    boost::asio::awaitable<void> flush();
    boost::asio::awaitable<Result> collect(const std::string& name);
    // Sends what is queued, then collects the result and records whether the connection
    // is still usable.
    boost::asio::awaitable<Result> finish(const std::string& name);

    PGconn* conn_;
    boost::asio::posix::stream_descriptor socket_;
    std::unordered_set<std::string> prepared_;
    bool usable_ = true;
};

class Pool;

// A connection borrowed from the pool; returned when the lease is destroyed.
class Lease {
public:
    Lease(Pool* pool, std::unique_ptr<Connection> connection) : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
};

// The connections of one I/O thread. Used only from that thread, so it needs no locks.
// Requests wait up to `acquire_timeout` for a free connection, then get 503.
class Pool {
public:
    Pool(boost::asio::io_context& io, const DatabaseConfig& config);

    boost::asio::awaitable<Lease> acquire();

    // Runs one statement on any free connection.
    boost::asio::awaitable<Result> query(const Statement& statement, const Params& params = {});

    // Runs `work(connection)` between BEGIN and COMMIT; rolls back and rethrows when it throws.
    template <typename Work>
    auto transaction(Work work) -> std::invoke_result_t<Work, Connection&>;

private:
    friend class Lease;
    struct Waiter;

    void release(std::unique_ptr<Connection> connection);

    boost::asio::io_context& io_;
    const DatabaseConfig& config_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::deque<Waiter*> waiters_;
    unsigned open_count_ = 0;
};

struct Pool::Waiter {
    explicit Waiter(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::unique_ptr<Connection> connection;
    // Set when a slot freed up without a connection (a broken one was dropped).
    bool may_open = false;
};

template <typename Work>
auto Pool::transaction(Work work) -> std::invoke_result_t<Work, Connection&> {
    using Value = typename std::invoke_result_t<Work, Connection&>::value_type;
    using Holder = std::conditional_t<std::is_void_v<Value>, bool, Value>;
    auto lease = co_await acquire();
    co_await lease->execute_simple("BEGIN");

    std::optional<Holder> value;
    std::exception_ptr failure;
    try {
        if constexpr (std::is_void_v<Value>) {
            co_await work(*lease);
            value.emplace(true);
        } else {
            value.emplace(co_await work(*lease));
        }
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        co_await lease->execute_simple("ROLLBACK");
        std::rethrow_exception(failure);
    }
    co_await lease->execute_simple("COMMIT");
    if constexpr (!std::is_void_v<Value>) co_return std::move(*value);
}

}  // namespace bijou::db
