#include "redis/client.hpp"

#include <hiredis/hiredis.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "core/log.hpp"

namespace bijou::redis {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Client::Pending {
    explicit Pending(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::optional<Reply> reply;
    std::string failure;
    bool done = false;
};

namespace {

Reply convert(const redisReply* raw) {
    Reply reply;
    switch (raw->type) {
        case REDIS_REPLY_STRING:
            reply.type = Reply::Type::string;
            reply.text.assign(raw->str, raw->len);
            break;
        case REDIS_REPLY_STATUS:
            reply.type = Reply::Type::status;
            reply.text.assign(raw->str, raw->len);
            break;
        case REDIS_REPLY_ERROR:
            reply.type = Reply::Type::error;
            reply.text.assign(raw->str, raw->len);
            break;
        case REDIS_REPLY_INTEGER:
            reply.type = Reply::Type::integer;
            reply.integer = raw->integer;
            break;
        case REDIS_REPLY_ARRAY:
            reply.type = Reply::Type::array;
            for (std::size_t i = 0; i < raw->elements; ++i) reply.elements.push_back(convert(raw->element[i]));
            break;
        default:
            reply.type = Reply::Type::nil;
            break;
    }
    return reply;
}

std::string format_command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& arg : args) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    char* buffer = nullptr;
    long long size = redisFormatCommandArgv(&buffer, static_cast<int>(args.size()), argv.data(), lengths.data());
    if (size < 0) throw RedisError("cannot encode Redis command");
    std::string out(buffer, static_cast<std::size_t>(size));
    redisFreeCommand(buffer);
    return out;
}

}  // namespace

Endpoint parse_url(const std::string& url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || parsed->scheme() != "redis") throw std::invalid_argument("expected redis://host:port[/db]");
    Endpoint endpoint;
    endpoint.host = parsed->host();
    endpoint.port = parsed->has_port() ? std::string(parsed->port()) : "6379";
    if (endpoint.host.empty()) throw std::invalid_argument("missing host");
    if (parsed->has_userinfo()) {
        endpoint.username = parsed->user();
        endpoint.password = parsed->password();
    }
    auto path = std::string(parsed->path());
    if (path.size() > 1) {
        try {
            endpoint.database = std::stoi(path.substr(1));
        } catch (const std::exception&) {
            throw std::invalid_argument("database must be a number");
        }
    }
    return endpoint;
}

Client::Client(asio::io_context& io, const RedisConfig& config)
    : io_(io), config_(config), endpoint_(parse_url(config.url)), socket_(io) {}

Client::~Client() {
    if (reader_ != nullptr) redisReaderFree(reader_);
}

asio::awaitable<void> Client::connect() {
    connecting_ = true;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{connecting_};

    tcp::resolver resolver(io_);
    boost::system::error_code ec;
    auto endpoints = co_await resolver.async_resolve(endpoint_.host, endpoint_.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) throw RedisError("cannot resolve Redis host " + endpoint_.host + ": " + ec.message());

    tcp::socket socket(io_);
    asio::steady_timer timer(io_);
    timer.expires_after(config_.command_timeout);
    timer.async_wait([&](boost::system::error_code timer_ec) {
        if (!timer_ec) socket.close();
    });
    co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (ec) throw RedisError("cannot connect to Redis at " + endpoint_.host + ":" + endpoint_.port + ": " + ec.message());
    socket.set_option(tcp::no_delay(true));

    if (reader_ != nullptr) redisReaderFree(reader_);
    reader_ = redisReaderCreate();
    socket_ = std::move(socket);
    connected_ = true;
    auto generation = ++generation_;
    asio::co_spawn(io_, read_loop(generation), asio::detached);
}

asio::awaitable<Reply> Client::command(std::vector<std::string> args) {
    if (!connected_) {
        if (connecting_) throw RedisError("Redis connection is being re-established");
        co_await connect();
        if (!endpoint_.password.empty()) {
            std::vector<std::string> auth{std::string("AUTH")};
            if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
            auth.push_back(endpoint_.password);
            co_await command(std::move(auth));
        }
        if (endpoint_.database != 0) {
            std::vector<std::string> select{std::string("SELECT"), std::to_string(endpoint_.database)};
            co_await command(std::move(select));
        }
    }

    auto pending = std::make_shared<Pending>(io_);
    pending->timer.expires_after(config_.command_timeout);
    pending_.push_back(pending);
    outgoing_ += format_command(args);
    if (!writing_) asio::co_spawn(io_, write_loop(generation_), asio::detached);

    boost::system::error_code ec;
    co_await pending->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!pending->done) {
        // The reply may still arrive later and would then be matched to the wrong command,
        // so a timeout ends the connection.
        fail_all("Redis command timed out");
        throw RedisError("Redis command " + args.front() + " timed out");
    }
    if (!pending->failure.empty()) throw RedisError(pending->failure);
    if (pending->reply->is_error()) throw RedisError("Redis error: " + pending->reply->text);
    co_return std::move(*pending->reply);
}

asio::awaitable<void> Client::write_loop(std::uint64_t generation) {
    writing_ = true;
    while (!outgoing_.empty() && generation == generation_ && connected_) {
        std::string chunk = std::move(outgoing_);
        outgoing_.clear();
        boost::system::error_code ec;
        co_await asio::async_write(socket_, asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (generation == generation_) fail_all("writing to Redis failed: " + ec.message());
            break;
        }
    }
    writing_ = false;
}

asio::awaitable<void> Client::read_loop(std::uint64_t generation) {
    char buffer[16 * 1024];
    while (generation == generation_ && connected_) {
        boost::system::error_code ec;
        auto size = co_await socket_.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
        if (generation != generation_) co_return;
        if (ec) {
            fail_all("Redis connection lost: " + ec.message());
            co_return;
        }
        redisReaderFeed(reader_, buffer, size);
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
                fail_all("invalid reply from Redis");
                co_return;
            }
            if (raw == nullptr) break;
            auto reply = convert(static_cast<redisReply*>(raw));
            freeReplyObject(raw);
            if (pending_.empty()) continue;
            auto pending = pending_.front();
            pending_.pop_front();
            pending->reply = std::move(reply);
            pending->done = true;
            pending->timer.cancel();
        }
    }
}

void Client::fail_all(const std::string& reason) {
    if (connected_) log::warn("redis connection closed", {{"reason", reason}});
    connected_ = false;
    ++generation_;
    boost::system::error_code ignored;
    socket_.close(ignored);
    outgoing_.clear();
    for (auto& pending : pending_) {
        if (pending->done) continue;
        pending->failure = reason;
        pending->done = true;
        pending->timer.cancel();
    }
    pending_.clear();
}

}  // namespace bijou::redis
