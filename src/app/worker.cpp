#include "app/worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "admin/mail_jobs.hpp"
#include "auth/email_flows.hpp"
#include "checkout/cleanup.hpp"
#include "core/log.hpp"
#include "db/pool.hpp"
#include "jobs/worker.hpp"
#include "mail/sender.hpp"
#include "orders/mail_jobs.hpp"
#include "payments/jobs.hpp"
#include "payments/sandbox.hpp"

namespace bijou::app {

namespace asio = boost::asio;

int work(const Config& config) {
    // One I/O thread: jobs spend their time waiting on PostgreSQL, Redis and SMTP, and a
    // deployment scales by running more worker processes.
    asio::io_context io(1);
    db::Pool pool(io, config.database);
    auto sender = mail::make_sender(config.mail);
    jobs::Worker worker(io, config, pool);
    auth::add_mail_handlers(worker, pool, *sender, config);
    orders::add_mail_jobs(worker, pool, *sender, config);
    admin::add_mail_jobs(worker, pool, *sender, config);
    auto provider = payments::make_provider(config.payments);
    payments::ApiClient client(config.payments.timeout, 64 * 1024);
    payments::add_payment_jobs(worker, pool, *provider, client, config);
    checkout::add_cleanup_jobs(worker, pool);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code error, int signal) {
        if (error) return;
        log::info("stopping worker", {{"signal", signal}});
        worker.stop();
    });

    int exit_code = 0;
    asio::co_spawn(io, worker.run(), [&](std::exception_ptr failure) {
        if (failure) {
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& error) {
                log::error("worker failed", {{"error", error.what()}});
            }
            exit_code = 1;
        }
        signals.cancel();
        io.stop();
    });
    io.run();
    return exit_code;
}

}  // namespace bijou::app
