#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <vector>
#include <random>
#include <set>
#include <string>

#include "core/config.hpp"
#include "db/pool.hpp"
#include "jobs/queue.hpp"
#include "redis/client.hpp"

namespace bijou::jobs {

// The consumer side of the queue, for one `bijou worker` process on one io_context:
//  - relays the outbox into the stream and releases due retries;
//  - reads new jobs as one consumer of the group and runs up to jobs.concurrency at once;
//  - takes over jobs that another consumer left unacknowledged for jobs.claim_idle (it
//    died or hung), so no job is lost with its worker;
//  - after a job succeeds, leaves a done marker before acknowledging, so a copy delivered
//    again (a relay crash, a claim racing a slow worker) is acknowledged without running.
// A failed job is retried with exponential backoff and, out of attempts, moved to the
// dead-letter stream.
class Worker {
public:
    Worker(boost::asio::io_context& io, const Config& config, db::Pool& pool);

    void handle(const std::string& topic, Handler handler) { handlers_[topic] = std::move(handler); }
    // Runs `task` every `interval` while the worker runs. A failure is logged and the task
    // runs again at the next interval. Every worker process runs its own copy, so a task
    // must tolerate running in several processes at once.
    void every(const std::string& name, Milliseconds interval, std::function<boost::asio::awaitable<void>()> task) {
        periodic_.push_back({name, interval, std::move(task)});
    }

    // Runs until stop(), then waits for running jobs to end.
    boost::asio::awaitable<void> run();
    void stop();

    const std::string& consumer_name() const { return consumer_; }

private:
    struct Periodic {
        std::string name;
        Milliseconds interval;
        std::function<boost::asio::awaitable<void>()> task;
    };

    boost::asio::awaitable<void> periodic_loop(const Periodic& periodic);
    boost::asio::awaitable<void> relay_loop();
    boost::asio::awaitable<void> read_loop();
    boost::asio::awaitable<void> claim_loop();
    boost::asio::awaitable<void> process(Job job);
    boost::asio::awaitable<void> finish_failed(const Job& job, const std::string& error, bool permanent);
    boost::asio::awaitable<void> pause(std::chrono::milliseconds delay);
    int free_slots() const { return config_.jobs.concurrency - static_cast<int>(running_.size()); }

    boost::asio::io_context& io_;
    const Config& config_;
    // The blocking reads get a client of their own with a longer timeout, so a read
    // waiting for jobs never delays an acknowledgement.
    RedisConfig read_config_;
    db::Pool& pool_;
    redis::Client redis_;
    redis::Client reads_;
    std::map<std::string, Handler> handlers_;
    std::vector<Periodic> periodic_;
    std::string consumer_;
    // Outbox ids of the jobs running in this process.
    std::set<std::string> running_;
    boost::asio::steady_timer slot_freed_;
    bool stopping_ = false;
    std::mt19937_64 random_;
};

}  // namespace bijou::jobs
