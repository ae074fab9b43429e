#include "app/serve.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "admin/routes.hpp"
#include "auth/oauth_routes.hpp"
#include "auth/routes.hpp"
#include "cart/routes.hpp"
#include "checkout/routes.hpp"
#include "orders/routes.hpp"
#include "payments/routes.hpp"
#include "payments/sandbox.hpp"
#include "shipping/routes.hpp"
#include "catalog/routes.hpp"
#include "core/log.hpp"
#include "db/pool.hpp"
#include "http/server.hpp"
#include "net/http_fetch.hpp"
#include "ops/routes.hpp"
#include "ratelimit/ip_budget.hpp"
#include "redis/client.hpp"

namespace bijou::app {

namespace asio = boost::asio;

namespace {

// Everything one I/O thread owns. Shards share nothing but the configuration and the
// draining flag, so request handling takes no locks.
struct Shard {
    Shard(const Config& config, const std::atomic<bool>& draining, auth::HashPool& hashes, net::HttpFetcher& fetcher,
          const shipping::RateTable& rates, payments::Provider& provider)
        : io(1),
          pool(io, config.database),
          redis(io, config.redis),
          catalog(pool, config),
          keys(pool, config),
          limiter(redis),
          ip_budget(redis, config.http.rate_limit_per_ip, config.http.rate_limit_window),
          accounts(pool, keys, hashes, limiter, config),
          email_flows(pool, hashes, limiter, config),
          carts(pool, config),
          addresses(pool),
          checkout(pool, provider, addresses, rates, config),
          orders(pool),
          admins(pool, keys, hashes, limiter, config),
          directory(pool, hashes, config),
          social(redis, fetcher, accounts, limiter, config),
          pipeline(config.http),
          server(io, config.http, pipeline) {
        pipeline.set_guard([this](const http::Request& request) { return ip_budget.hit(request.remote_address); });
        catalog::add_routes(pipeline, catalog, config);
        auth::add_routes(pipeline, keys, accounts, email_flows, config,
                         [this](const std::string& user_id, const std::string& token) {
                             return carts.merge_guest(user_id, token);
                         });
        cart::add_routes(pipeline, carts, accounts);
        auth::add_oauth_routes(pipeline, social, config);
        shipping::add_routes(pipeline, addresses, rates, carts, accounts, pool);
        checkout::add_routes(pipeline, checkout, accounts);
        orders::add_routes(pipeline, orders, accounts, admins);
        payments::add_routes(pipeline, provider, pool, config);
        admin::add_routes(pipeline, admins, directory);
        ops::add_routes(pipeline, ops::Probes{pool, redis, draining}, config);
    }

    asio::io_context io;
    db::Pool pool;
    redis::Client redis;
    catalog::Service catalog;
    auth::KeyStore keys;
    ratelimit::Limiter limiter;
    ratelimit::IpBudget ip_budget;
    auth::AccountService accounts;
    auth::EmailFlows email_flows;
    cart::Service carts;
    shipping::AddressBook addresses;
    checkout::Service checkout;
    orders::Service orders;
    admin::AdminService admins;
    admin::AdminDirectory directory;
    auth::SocialLogin social;
    http::Pipeline pipeline;
    http::Server server;
};

}  // namespace

int serve(const Config& config) {
    auto started = std::chrono::steady_clock::now();
    std::atomic<bool> draining{false};
    unsigned thread_count = config.http.threads != 0 ? config.http.threads : std::max(1u, std::thread::hardware_concurrency());

    // Build the OpenAPI document before serving, so a broken contract fails at start-up.
    ops::openapi_json();

    // Password hashing runs beside the I/O threads, one hash per core at a time, with at
    // most 64 running or waiting before logins get 503.
    auth::HashPool hashes(thread_count, 64);
    // Social login calls providers with libcurl, which blocks, so the calls run on their
    // own threads. Four at once cover the few requests of each login (discovery and keys
    // are cached); at most 64 run or wait before logins get 503.
    net::HttpFetcher fetcher(4, 64);

    // Read once and shared: a broken table stops the start-up with its error.
    std::optional<std::string> rates_file;
    if (!config.shipping_rates_file.empty()) rates_file = config.shipping_rates_file;
    auto rates = shipping::RateTable::load(rates_file);
    // One provider for the process: its HTTP client keeps a thread pool of its own.
    auto provider = payments::make_provider(config.payments);

    std::vector<std::unique_ptr<Shard>> shards;
    std::uint16_t port = config.http.port;
    for (unsigned i = 0; i < thread_count; ++i) {
        shards.push_back(std::make_unique<Shard>(config, draining, hashes, fetcher, rates, *provider));
        port = shards.back()->server.listen(port, i == 0);
        shards.back()->server.start();
        // Load the signing keys before the first login needs them inside a transaction.
        asio::co_spawn(shards.back()->io, shards.back()->keys.current(), asio::detached);
    }

    std::vector<std::thread> threads;
    for (auto& shard : shards) {
        threads.emplace_back([&shard] {
            auto guard = asio::make_work_guard(shard->io);
            shard->io.run();
        });
    }

    auto startup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    log::info("listening", {{"address", config.http.host},
                            {"port", port},
                            {"threads", thread_count},
                            {"env", config.env},
                            {"startup_ms", startup_ms}});

    asio::io_context signals_io(1);
    asio::signal_set signals(signals_io, SIGINT, SIGTERM);
    int received = 0;
    signals.async_wait([&](boost::system::error_code, int signal) { received = signal; });
    signals_io.run();

    draining = true;
    if (config.http.shutdown_delay.count() > 0) {
        log::info("shutting down: reporting not ready before closing the listener",
                  {{"signal", received}, {"delay_ms", config.http.shutdown_delay.count()}});
        std::this_thread::sleep_for(config.http.shutdown_delay);
    }
    log::info("draining", {{"signal", received}, {"timeout_ms", config.http.drain_timeout.count()}});
    std::mutex mutex;
    std::condition_variable all_drained;
    std::size_t drained = 0;
    for (auto& shard : shards) {
        asio::post(shard->io, [&, server = &shard->server] {
            server->drain([&] {
                std::lock_guard lock(mutex);
                ++drained;
                all_drained.notify_one();
            });
        });
    }
    {
        std::unique_lock lock(mutex);
        bool clean = all_drained.wait_for(lock, config.http.drain_timeout, [&] { return drained == shards.size(); });
        if (!clean) log::warn("drain timeout reached; closing remaining connections", {{"drained_threads", drained}});
    }

    for (auto& shard : shards) shard->io.stop();
    for (auto& thread : threads) thread.join();
    log::info("stopped");
    return 0;
}

}  // namespace bijou::app
