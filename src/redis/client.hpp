#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

struct redisReader;

namespace bijou::redis {

// A decoded RESP reply.
struct Reply {
    enum class Type { string, status, integer, nil, array, error };
    Type type = Type::nil;
    std::string text;
    std::int64_t integer = 0;
    std::vector<Reply> elements;

    bool is_error() const { return type == Type::error; }
};

// Thrown when Redis is unreachable, a command times out, or Redis returns an error reply.
class RedisError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parsed redis://[user:password@]host:port[/db] URL.
struct Endpoint {
    std::string host;
    std::string port;
    std::string username;
    std::string password;
    int database = 0;
};

// Parses a redis:// URL. Throws std::invalid_argument naming what is wrong.
Endpoint parse_url(const std::string& url);

// An asynchronous Redis client for one I/O thread: one connection, commands pipelined
// in order, hiredis for encoding and decoding. Reconnects on the next command after a
// failure. Not thread-safe: use it only from its io_context.
class Client {
public:
    Client(boost::asio::io_context& io, const RedisConfig& config);
    ~Client();

    // Sends one command and waits for its reply, bounded by redis.command_timeout_ms.
    // Throws RedisError on connection failure, timeout or an error reply.
    boost::asio::awaitable<Reply> command(std::vector<std::string> args);

private:
    struct Pending;

    boost::asio::awaitable<void> connect();
    boost::asio::awaitable<void> read_loop(std::uint64_t generation);
    boost::asio::awaitable<void> write_loop(std::uint64_t generation);
    void fail_all(const std::string& reason);

    boost::asio::io_context& io_;
    const RedisConfig& config_;
    Endpoint endpoint_;
    boost::asio::ip::tcp::socket socket_;
    redisReader* reader_ = nullptr;
    bool connected_ = false;
    bool connecting_ = false;
    bool writing_ = false;
    // Incremented on every (re)connection so that loops of a dead connection stop.
    std::uint64_t generation_ = 0;
    std::string outgoing_;
    std::deque<std::shared_ptr<Pending>> pending_;
};

}  // namespace bijou::redis
