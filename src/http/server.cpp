#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "core/ids.hpp"
#include "core/log.hpp"

namespace bijou::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

struct Server::Connection {
    explicit Connection(tcp::socket connected) : socket(std::move(connected)), timer(socket.get_executor()) {}

    // Bounds the next read or write. On expiry the pending operation is cancelled but the
    // socket stays open, so a 408 can still be written (beast::tcp_stream would close it).
    void expires_after(std::chrono::milliseconds timeout) {
        timed_out = false;
        timer.expires_after(timeout);
        timer.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                timed_out = true;
                boost::system::error_code ignored;
                socket.cancel(ignored);
            }
        });
    }

    tcp::socket socket;
    asio::steady_timer timer;
    bool timed_out = false;
    // True while a request is being read or handled; idle connections are closed on drain.
    bool busy = false;
    std::list<std::shared_ptr<Connection>>::iterator position;
};

Server::Server(asio::io_context& io, const HttpConfig& config, const Pipeline& pipeline)
    : io_(io), config_(config), pipeline_(pipeline), acceptor_(io) {}

std::uint16_t Server::listen(std::uint16_t port, bool first) {
    tcp::endpoint endpoint{asio::ip::make_address(config_.host), port};
    if (first && port != 0) {
        // SO_REUSEPORT would let a second bijou process share the port with a running one,
        // splitting traffic between them without a word. A bind without it fails with
        // EADDRINUSE when anything already listens there.
        tcp::acceptor probe(io_);
        probe.open(endpoint.protocol());
        // SO_REUSEADDR lets the probe bind over TIME_WAIT connections of an earlier run;
        // on Linux it still fails while another socket listens on the port.
        probe.set_option(asio::socket_base::reuse_address(true));
        boost::system::error_code ec;
        probe.bind(endpoint, ec);
        if (ec) {
            throw std::runtime_error("cannot listen on " + config_.host + ":" + std::to_string(port) + " (http.host, http.port): " +
                                     ec.message());
        }
    }
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        throw std::system_error(errno, std::generic_category(), "setsockopt SO_REUSEPORT");
    }
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
}

void Server::start() {
    asio::co_spawn(io_, accept_loop(), asio::detached);
}

asio::awaitable<void> Server::accept_loop() {
    while (!draining_) {
        boost::system::error_code ec;
        auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || draining_) break;
        if (ec) {
            log::warn("accept failed", {{"error", ec.message()}});
            continue;
        }
        socket.set_option(tcp::no_delay(true));
        auto connection = std::make_shared<Connection>(std::move(socket));
        connections_.push_front(connection);
        connection->position = connections_.begin();
        asio::co_spawn(io_, serve(connection), asio::detached);
    }
}

void Server::forget(const std::shared_ptr<Connection>& connection) {
    connections_.erase(connection->position);
    if (draining_ && connections_.empty() && on_drained_) {
        auto done = std::move(on_drained_);
        on_drained_ = nullptr;
        done();
    }
}

void Server::drain(std::function<void()> on_drained) {
    draining_ = true;
    on_drained_ = std::move(on_drained);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& connection : connections_) {
        if (!connection->busy) connection->socket.shutdown(tcp::socket::shutdown_receive, ignored);
    }
    if (connections_.empty() && on_drained_) {
        auto done = std::move(on_drained_);
        on_drained_ = nullptr;
        done();
    }
}

namespace {

// Builds a request context good enough to render an error found while reading.
Request context_for_error(const beast_http::request_header<>& header, std::string remote) {
    Request request;
    request.raw.base() = header;
    request.remote_address = std::move(remote);
    return request;
}

}  // namespace

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> connection) {
    auto& stream = connection->socket;
    beast::flat_buffer buffer(config_.max_header_bytes);
    boost::system::error_code endpoint_error;
    auto remote_endpoint = stream.remote_endpoint(endpoint_error);
    std::string remote = endpoint_error ? std::string() : remote_endpoint.address().to_string();
    bool first = true;

    for (;;) {
        connection->busy = false;
        if (draining_) break;

        // Wait for the next request: the idle timeout between requests, the read timeout
        // once bytes have arrived.
        beast_http::request_parser<beast_http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
        parser.body_limit(config_.max_body_bytes);
        connection->expires_after(first && buffer.size() == 0 ? config_.read_timeout : config_.idle_timeout);
        first = false;

        boost::system::error_code ec;
        co_await beast_http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        connection->busy = true;

        std::optional<ApiError> read_error;
        if (!ec) {
            connection->expires_after(config_.read_timeout);
            auto content_length = parser.content_length();
            if (content_length && *content_length > config_.max_body_bytes) {
                read_error = ApiError(ErrorCode::payload_too_large, "declared body too large",
                                      {{"limit", std::to_string(config_.max_body_bytes)}});
            } else {
                co_await beast_http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            }
        }

        if (ec == asio::error::operation_aborted && connection->timed_out) ec = beast::error::timeout;
        if (ec == beast_http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
            ec == asio::error::operation_aborted) {
            break;
        }
        if (ec == beast::error::timeout) {
            // A timeout with nothing received is an idle connection: close it quietly.
            if (!parser.got_some()) break;
            read_error = ApiError(ErrorCode::request_timeout, "read timeout");
        } else if (ec == beast_http::error::header_limit) {
            read_error = ApiError(ErrorCode::headers_too_large, "header limit",
                                  {{"limit", std::to_string(config_.max_header_bytes)}});
        } else if (ec == beast_http::error::body_limit) {
            read_error = ApiError(ErrorCode::payload_too_large, "body limit",
                                  {{"limit", std::to_string(config_.max_body_bytes)}});
        } else if (ec) {
            read_error = ApiError(ErrorCode::malformed_request, ec.message());
        }

        if (!read_error) {
            // RFC 9112: an HTTP/1.1 request without Host is invalid, and this server only
            // takes origin-form targets ("/path?query"), plus "*" for OPTIONS.
            const auto& header = parser.get();
            auto target = header.target();
            bool target_ok = target.starts_with('/') || (target == "*" && header.method() == beast_http::verb::options);
            if ((header.version() >= 11 && header.find(beast_http::field::host) == header.end()) || !target_ok) {
                read_error = ApiError(ErrorCode::malformed_request, "missing Host header or unsupported request target");
            }
        }

        if (read_error) {
            // The rest of the stream cannot be trusted, so send the error and close.
            auto request = context_for_error(parser.get().base(), remote);
            pipeline_.prepare(request);
            auto response = problem_response(request, *read_error);
            log::warn("request rejected while reading",
                      {{"request_id", request.request_id}, {"code", code_name(read_error->code())}, {"remote", remote}});
            pipeline_.finish(request, response);
            response.keep_alive(false);
            connection->expires_after(config_.read_timeout);
            co_await beast_http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
            break;
        }

        Request request;
        request.raw = parser.release();
        request.remote_address = remote;
        request.received_at = std::chrono::steady_clock::now();
        pipeline_.prepare(request);
        auto response = co_await pipeline_.handle(request);
        if (draining_) response.keep_alive(false);

        connection->expires_after(config_.read_timeout);
        co_await beast_http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !response.keep_alive()) break;
    }

    connection->timer.cancel();
    boost::system::error_code ignored;
    stream.shutdown(tcp::socket::shutdown_send, ignored);
    stream.close(ignored);
    forget(connection);
}

}  // namespace bijou::http
