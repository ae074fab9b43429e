#include "db/pool.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <unistd.h>

#include "core/error.hpp"
#include "core/log.hpp"

namespace bijou::db {

namespace asio = boost::asio;
using asio::posix::stream_descriptor;

namespace {

std::string connection_message(PGconn* conn) {
    std::string message = conn ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return message;
}

// Waits until libpq's socket is ready, bounded by `deadline`. The descriptor is a dup of
// libpq's socket, because libpq may replace the socket while connecting.
asio::awaitable<bool> wait_socket(asio::io_context& io, int fd, stream_descriptor::wait_type what,
                                  std::chrono::steady_clock::time_point deadline) {
    stream_descriptor descriptor(io, ::dup(fd));
    asio::steady_timer timer(io, deadline);
    bool timed_out = false;
    timer.async_wait([&](boost::system::error_code ec) {
        if (!ec) {
            timed_out = true;
            descriptor.cancel();
        }
    });
    boost::system::error_code ec;
    co_await descriptor.async_wait(what, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    co_return !timed_out && !ec;
}

}  // namespace

Connection::Connection(asio::io_context& io, PGconn* conn) : conn_(conn), socket_(io, PQsocket(conn)) {}

Connection::~Connection() {
    // libpq owns the socket; give it back before PQfinish closes it.
    socket_.release();
    PQfinish(conn_);
}

asio::awaitable<std::unique_ptr<Connection>> Connection::open(asio::io_context& io, const DatabaseConfig& config) {
    std::string options = "-c statement_timeout=" + std::to_string(config.statement_timeout.count()) +
                          " -c TimeZone=UTC -c idle_in_transaction_session_timeout=60000";
    // Statement timeouts are enforced by the server. TCP keepalives and tcp_user_timeout
    // detect a server that vanished without closing the connection; a per-query client
    // timer would cost timer syscalls on every statement.
    auto user_timeout = std::to_string((config.statement_timeout + Milliseconds(5'000)).count());
    const char* keywords[] = {"dbname", "options", "application_name", "keepalives", "keepalives_idle",
                              "keepalives_interval", "keepalives_count", "tcp_user_timeout", nullptr};
    const char* values[] = {config.url.c_str(), options.c_str(), "bijou", "1", "30", "10", "3",
                            user_timeout.c_str(), nullptr};
    PGconn* conn = PQconnectStartParams(keywords, values, 1);
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
        auto message = connection_message(conn);
        PQfinish(conn);
        throw DbError("cannot connect to PostgreSQL: " + message, "");
    }

    auto deadline = std::chrono::steady_clock::now() + config.connect_timeout;
    auto status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED) {
            auto message = connection_message(conn);
            PQfinish(conn);
            throw DbError("cannot connect to PostgreSQL: " + message, "");
        }
        auto what = status == PGRES_POLLING_READING ? stream_descriptor::wait_read : stream_descriptor::wait_write;
        if (!co_await wait_socket(io, PQsocket(conn), what, deadline)) {
            PQfinish(conn);
            throw DbError("cannot connect to PostgreSQL: timed out", "");
        }
        status = PQconnectPoll(conn);
    }
    if (PQsetnonblocking(conn, 1) != 0) {
        auto message = connection_message(conn);
        PQfinish(conn);
        throw DbError("cannot switch the PostgreSQL connection to non-blocking mode: " + message, "");
    }
    co_return std::make_unique<Connection>(io, conn);
}

asio::awaitable<void> Connection::flush() {
    for (;;) {
        int pending = PQflush(conn_);
        if (pending == 0) co_return;
        if (pending < 0) throw DbError("sending to PostgreSQL failed: " + connection_message(conn_), "");
        boost::system::error_code ec;
        co_await socket_.async_wait(stream_descriptor::wait_write, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) throw DbError("waiting for PostgreSQL failed: " + ec.message(), "");
    }
}

asio::awaitable<Result> Connection::collect(const std::string& name) {
    Result last;
    std::optional<DbError> failure;
    for (;;) {
        while (PQisBusy(conn_)) {
            boost::system::error_code ec;
            co_await socket_.async_wait(stream_descriptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) throw DbError("waiting for PostgreSQL failed: " + ec.message(), "");
            if (PQconsumeInput(conn_) == 0) {
                throw DbError("reading from PostgreSQL failed: " + connection_message(conn_), "");
            }
        }
        PGresult* raw = PQgetResult(conn_);
        if (raw == nullptr) break;
        Result result(raw);
        auto status = PQresultStatus(raw);
        if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE) {
            const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
            const char* message = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
            if (!failure) {
                failure.emplace(name + ": " + (message ? message : "statement failed"), state ? state : "");
            }
        } else {
            last = std::move(result);
        }
    }
    if (failure) throw *failure;
    co_return last;
}

asio::awaitable<Result> Connection::finish(const std::string& name) {
    co_await flush();
    try {
        auto result = co_await collect(name);
        usable_ = true;
        co_return result;
    } catch (const DbError& error) {
        // A statement error (constraint, syntax) leaves the connection in a known state.
        usable_ = !error.is_connection_error();
        throw;
    }
}

asio::awaitable<Result> Connection::execute(const Statement& statement, const Params& params) {
    std::string name(statement.name);
    usable_ = false;

    if (!prepared_.contains(name)) {
        std::string sql(statement.sql);
        if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), params.size(), nullptr) == 0) {
            throw DbError("preparing " + name + " failed: " + connection_message(conn_), "");
        }
        co_await flush();
        co_await collect(name);
        prepared_.insert(name);
    }

    std::vector<const char*> values(static_cast<std::size_t>(params.size()));
    for (int i = 0; i < params.size(); ++i) {
        const auto& value = params.at(i);
        values[static_cast<std::size_t>(i)] = value ? value->c_str() : nullptr;
    }
    if (PQsendQueryPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr, 0) == 0) {
        throw DbError("sending " + name + " failed: " + connection_message(conn_), "");
    }
    co_return co_await finish(name);
}

asio::awaitable<Result> Connection::execute_simple(const char* sql) {
    usable_ = false;
    if (PQsendQuery(conn_, sql) == 0) {
        throw DbError(std::string("sending ") + sql + " failed: " + connection_message(conn_), "");
    }
    co_return co_await finish(sql);
}

Lease::~Lease() {
    if (pool_ != nullptr && connection_) pool_->release(std::move(connection_));
}

Pool::Pool(asio::io_context& io, const DatabaseConfig& config) : io_(io), config_(config) {}

asio::awaitable<Lease> Pool::acquire() {
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            co_return Lease(this, std::move(connection));
        }
        if (open_count_ < config_.pool_size) {
            ++open_count_;
            try {
                auto connection = co_await Connection::open(io_, config_);
                co_return Lease(this, std::move(connection));
            } catch (const DbError& error) {
                --open_count_;
                log::error("database connection failed", {{"error", error.what()}});
                throw ApiError(ErrorCode::service_unavailable, error.what());
            }
        }

        Waiter waiter(io_);
        waiter.timer.expires_after(config_.acquire_timeout);
        waiters_.push_back(&waiter);
        boost::system::error_code ec;
        co_await waiter.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        std::erase(waiters_, &waiter);
        if (waiter.connection) co_return Lease(this, std::move(waiter.connection));
        if (waiter.may_open) continue;
        throw ApiError(ErrorCode::service_unavailable, "no database connection free within the acquire timeout");
    }
}

void Pool::release(std::unique_ptr<Connection> connection) {
    if (!connection->usable()) {
        --open_count_;
        connection.reset();
        if (!waiters_.empty()) {
            auto* waiter = waiters_.front();
            waiters_.pop_front();
            waiter->may_open = true;
            waiter->timer.cancel();
        }
        return;
    }
    if (!waiters_.empty()) {
        auto* waiter = waiters_.front();
        waiters_.pop_front();
        waiter->connection = std::move(connection);
        waiter->timer.cancel();
        return;
    }
    idle_.push_back(std::move(connection));
}

asio::awaitable<Result> Pool::query(const Statement& statement, const Params& params) {
    auto lease = co_await acquire();
    try {
        co_return co_await lease->execute(statement, params);
    } catch (const DbError& error) {
        if (error.is_connection_error()) {
            log::error("database unavailable", {{"statement", statement.name}, {"error", error.what()}});
            throw ApiError(ErrorCode::service_unavailable, error.what());
        }
        throw;
    }
}

}  // namespace bijou::db
