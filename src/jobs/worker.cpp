#include "jobs/worker.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/redirect_error.hpp>

#include "core/log.hpp"

namespace bijou::jobs {

namespace asio = boost::asio;

namespace {

// How long a read waits for new jobs before it checks for a stop.
constexpr std::chrono::milliseconds kReadBlock{2'000};
// How long a done marker is kept: longer than any redelivery can come late.
constexpr std::chrono::seconds kDoneTtl{7 * 24 * 3600};
constexpr std::chrono::seconds kOutboxKeep{7 * 24 * 3600};
constexpr std::chrono::minutes kPurgeEvery{60};
constexpr int kRelayBatch = 100;

std::string make_consumer_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device device;
    return std::string(host[0] != '\0' ? host : "worker") + "-" + std::to_string(getpid()) + "-" +
           std::to_string(device() % 100000);
}

RedisConfig with_read_timeout(RedisConfig config) {
    config.command_timeout += kReadBlock;
    return config;
}

}  // namespace

Worker::Worker(asio::io_context& io, const Config& config, db::Pool& pool)
    : io_(io), config_(config), read_config_(with_read_timeout(config.redis)), pool_(pool), redis_(io, config.redis),
      reads_(io, read_config_), consumer_(make_consumer_name()),
      slot_freed_(io), random_(std::random_device{}()) {}

void Worker::stop() {
    stopping_ = true;
    slot_freed_.cancel();
}

asio::awaitable<void> Worker::pause(std::chrono::milliseconds delay) {
    asio::steady_timer timer(io_, delay);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> Worker::run() {
    log::info("worker started", {{"consumer", consumer_}, {"concurrency", config_.jobs.concurrency}});
    asio::co_spawn(io_, relay_loop(), asio::detached);
    asio::co_spawn(io_, claim_loop(), asio::detached);
    for (const auto& periodic : periodic_) asio::co_spawn(io_, periodic_loop(periodic), asio::detached);
    co_await read_loop();
    // Let running jobs end; a job still running after the mail timeout is left to be
    // claimed by another worker.
    auto deadline = std::chrono::steady_clock::now() + config_.mail.timeout + std::chrono::seconds(5);
    while (!running_.empty() && std::chrono::steady_clock::now() < deadline) {
        co_await pause(std::chrono::milliseconds(50));
    }
    log::info("worker stopped", {{"consumer", consumer_}, {"abandoned_jobs", running_.size()}});
}

asio::awaitable<void> Worker::periodic_loop(const Periodic& periodic) {
    while (!stopping_) {
        co_await pause(periodic.interval);
        if (stopping_) break;
        try {
            co_await periodic.task();
        } catch (const std::exception& error) {
            log::warn("periodic task failed", {{"task", periodic.name}, {"error", error.what()}});
        }
    }
}

asio::awaitable<void> Worker::relay_loop() {
    auto next_purge = std::chrono::steady_clock::now();
    while (!stopping_) {
        try {
            while (!stopping_ && co_await relay_outbox(pool_, redis_, kRelayBatch) == kRelayBatch) {
            }
            co_await release_due_retries(redis_);
            if (std::chrono::steady_clock::now() >= next_purge) {
                co_await purge_outbox(pool_, kOutboxKeep);
                next_purge = std::chrono::steady_clock::now() + kPurgeEvery;
            }
        } catch (const std::exception& error) {
            log::warn("outbox relay failed; retrying", {{"error", error.what()}});
        }
        co_await pause(config_.jobs.poll_interval);
    }
}

asio::awaitable<void> Worker::read_loop() {
    bool group_ready = false;
    while (!stopping_) {
        try {
            if (!group_ready) {
                co_await ensure_group(redis_);
                group_ready = true;
            }
            if (free_slots() <= 0) {
                slot_freed_.expires_after(std::chrono::seconds(1));
                boost::system::error_code ignored;
                co_await slot_freed_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
                continue;
            }
            std::vector<std::string> read{"XREADGROUP", "GROUP", std::string(kGroup), consumer_,
                                          "COUNT", std::to_string(free_slots()), "BLOCK",
                                          std::to_string(kReadBlock.count()), "STREAMS", std::string(kStream), ">"};
            auto reply = co_await reads_.command(read);
            if (reply.type != redis::Reply::Type::array) continue;
            for (const auto& stream : reply.elements) {
                if (stream.elements.size() != 2) continue;
                for (auto& job : parse_entries(stream.elements[1])) {
                    asio::co_spawn(io_, process(std::move(job)), asio::detached);
                }
            }
        } catch (const std::exception& error) {
            // NOGROUP after Redis lost its data: create the group again.
            group_ready = false;
            log::warn("reading jobs failed; retrying", {{"error", error.what()}});
        }
        if (!group_ready) co_await pause(std::chrono::seconds(1));
    }
}

asio::awaitable<void> Worker::claim_loop() {
    auto interval = std::clamp(config_.jobs.claim_idle / 4, Milliseconds(100), Milliseconds(30'000));
    while (!stopping_) {
        co_await pause(interval);
        if (stopping_ || free_slots() <= 0) continue;
        try {
            std::vector<std::string> claim{"XAUTOCLAIM", std::string(kStream), std::string(kGroup), consumer_,
                                           std::to_string(config_.jobs.claim_idle.count()), "0-0", "COUNT",
                                           std::to_string(free_slots())};
            auto reply = co_await redis_.command(claim);
            if (reply.elements.size() < 2) continue;
            for (auto& job : parse_entries(reply.elements[1])) {
                // A job of this process that runs longer than claim_idle is still ours.
                if (running_.contains(job.id)) continue;
                log::warn("job taken over from an idle consumer", {{"job", job.id}, {"topic", job.topic}});
                asio::co_spawn(io_, process(std::move(job)), asio::detached);
            }
        } catch (const std::exception& error) {
            log::warn("claiming idle jobs failed; retrying", {{"error", error.what()}});
        }
    }
}

asio::awaitable<void> Worker::process(Job job) {
    if (job.topic.empty() || running_.contains(job.id)) {
        if (job.topic.empty()) {
            try {
                co_await bury(redis_, job, "entry without job fields");
                co_await acknowledge(redis_, job);
            } catch (const std::exception& error) {
                log::warn("dropping a malformed entry failed", {{"entry", job.entry_id}, {"error", error.what()}});
            }
        }
        co_return;
    }
    running_.insert(job.id);
    struct Release {
        Worker& worker;
        std::string id;
        ~Release() {
            worker.running_.erase(id);
            worker.slot_freed_.cancel();
        }
    } release{*this, job.id};

    auto started = std::chrono::steady_clock::now();
    std::string done_key = std::string(kDonePrefix) + job.id;
    std::string error;
    bool permanent = false;
    try {
        std::vector<std::string> check{"EXISTS", done_key};
        if ((co_await redis_.command(check)).integer == 1) {
            log::info("job already done; acknowledging the copy", {{"job", job.id}, {"topic", job.topic}});
            co_await acknowledge(redis_, job);
            co_return;
        }
        auto handler = handlers_.find(job.topic);
        if (handler == handlers_.end()) throw PermanentFailure("no handler for topic " + job.topic);
        co_await handler->second(job);
    } catch (const PermanentFailure& failure) {
        error = failure.what();
        permanent = true;
    } catch (const std::exception& failure) {
        error = failure.what();
        if (error.empty()) error = "unknown failure";
    }

    try {
        if (error.empty()) {
            std::vector<std::string> mark{"SET", done_key, "1", "EX", std::to_string(kDoneTtl.count())};
            co_await redis_.command(mark);
            co_await acknowledge(redis_, job);
            auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
            log::info("job done", {{"job", job.id}, {"topic", job.topic}, {"attempt", job.attempt},
                                   {"duration_us", elapsed.count()}});
        } else {
            co_await finish_failed(job, error, permanent);
        }
    } catch (const std::exception& failure) {
        // The entry stays pending and is claimed again after claim_idle.
        log::warn("ending a job failed; it will be delivered again",
                  {{"job", job.id}, {"topic", job.topic}, {"error", failure.what()}});
    }
}

asio::awaitable<void> Worker::finish_failed(const Job& job, const std::string& error, bool permanent) {
    if (permanent || job.attempt >= config_.jobs.max_attempts) {
        co_await bury(redis_, job, error);
        co_await acknowledge(redis_, job);
        log::error("job moved to the dead-letter stream",
                   {{"job", job.id}, {"topic", job.topic}, {"attempt", job.attempt}, {"error", error}});
        co_return;
    }
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    auto delay = retry_delay(config_.jobs, job.attempt, jitter(random_));
    co_await schedule_retry(redis_, job, delay, error);
    co_await acknowledge(redis_, job);
    log::warn("job failed; retrying later", {{"job", job.id}, {"topic", job.topic}, {"attempt", job.attempt},
                                             {"retry_in_ms", delay.count()}, {"error", error}});
}

}  // namespace bijou::jobs
