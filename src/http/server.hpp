#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <list>
#include <memory>

#include "core/config.hpp"
#include "http/pipeline.hpp"

namespace bijou::http {

// Accepts connections on one I/O thread and serves each with a coroutine. Every I/O
// thread runs its own Server on the same port (SO_REUSEPORT), so the kernel spreads
// connections over threads and no state is shared between them.
class Server {
public:
    Server(boost::asio::io_context& io, const HttpConfig& config, const Pipeline& pipeline);

    // Binds and listens; returns the bound port (useful when the configured port is 0).
    // `first` is set for the first I/O thread, which also checks that no other process
    // listens on the port. Throws std::runtime_error naming the address when binding fails.
    std::uint16_t listen(std::uint16_t port, bool first);
    void start();

    // Stops accepting, closes idle keep-alive connections and lets requests in flight
    // finish; `on_drained` runs once no connection is left.
    void drain(std::function<void()> on_drained);

private:
    struct Connection;

    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    void forget(const std::shared_ptr<Connection>& connection);

    boost::asio::io_context& io_;
    const HttpConfig& config_;
    const Pipeline& pipeline_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::list<std::shared_ptr<Connection>> connections_;
    bool draining_ = false;
    std::function<void()> on_drained_;
};

}  // namespace bijou::http
