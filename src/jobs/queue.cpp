#include "jobs/queue.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>

#include "core/ids.hpp"
#include "jobs_sql.hpp"

namespace bijou::jobs {

namespace json = boost::json;

namespace {

const db::Statement kPendingOutbox{"jobs.pending_outbox", sql::k_pending_outbox};
const db::Statement kMarkRelayed{"jobs.mark_relayed", sql::k_mark_relayed};
const db::Statement kPurgeOutbox{"jobs.purge_outbox", sql::k_purge_outbox};

// Moves due members of the retry set (JSON documents) back into the stream, atomically, so
// two workers never release the same retry twice. KEYS: retry set, stream. ARGV: now in ms.
constexpr const char* kReleaseScript = R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, member in ipairs(due) do
  local job = cjson.decode(member)
  redis.call('XADD', KEYS[2], '*', 'job', job.job, 'topic', job.topic, 'payload', job.payload,
             'attempt', job.attempt)
  redis.call('ZREM', KEYS[1], member)
end
return #due
)lua";

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

json::object payload_object(const Job& job) {
    boost::system::error_code error;
    auto value = json::parse(job.payload, error);
    if (error || !value.is_object()) throw PermanentFailure("payload is not a JSON object");
    return std::move(value.as_object());
}

std::string payload_string(const Job& job, std::string_view name, bool uuid) {
    auto payload = payload_object(job);
    const auto* value = payload.if_contains(name);
    if (value == nullptr || !value->is_string() || (uuid && !Uuid::parse(value->as_string()))) {
        throw PermanentFailure("payload lacks " + std::string(name));
    }
    return std::string(value->as_string());
}

boost::asio::awaitable<void> ensure_group(redis::Client& redis) {
    std::vector<std::string> create{"XGROUP", "CREATE", std::string(kStream), std::string(kGroup), "0", "MKSTREAM"};
    try {
        co_await redis.command(create);
    } catch (const redis::RedisError& error) {
        // The group exists already: another worker created it.
        if (std::string_view(error.what()).find("BUSYGROUP") == std::string_view::npos) throw;
    }
}

boost::asio::awaitable<int> relay_outbox(db::Pool& pool, redis::Client& redis, int limit) {
    co_return co_await pool.transaction([&](db::Connection& connection) -> boost::asio::awaitable<int> {
        db::Params batch{std::to_string(limit)};
        auto rows = co_await connection.execute(kPendingOutbox, batch);
        if (rows.rows() == 0) co_return 0;
        std::string ids = "{";
        for (int row = 0; row < rows.rows(); ++row) {
            std::vector<std::string> add{"XADD",  std::string(kStream),       "*",
                                         "job",   std::string(rows.text(row, 0)), "topic",
                                         std::string(rows.text(row, 1)), "payload", std::string(rows.text(row, 2)),
                                         "attempt", "1"};
            co_await redis.command(add);
            if (row > 0) ids += ',';
            ids += rows.text(row, 0);
        }
        ids += '}';
        db::Params relayed{ids};
        co_await connection.execute(kMarkRelayed, relayed);
        co_return rows.rows();
    });
}

boost::asio::awaitable<void> purge_outbox(db::Pool& pool, std::chrono::seconds age) {
    db::Params params{std::to_string(age.count())};
    co_await pool.query(kPurgeOutbox, params);
}

boost::asio::awaitable<int> release_due_retries(redis::Client& redis) {
    std::vector<std::string> eval{"EVAL", kReleaseScript, "2", std::string(kRetries), std::string(kStream),
                                  std::to_string(now_ms())};
    auto reply = co_await redis.command(eval);
    co_return static_cast<int>(reply.integer);
}

std::vector<Job> parse_entries(const redis::Reply& entries) {
    std::vector<Job> jobs;
    for (const auto& entry : entries.elements) {
        // XAUTOCLAIM reports entries deleted meanwhile as nil on older servers.
        if (entry.type != redis::Reply::Type::array || entry.elements.size() != 2) continue;
        Job job;
        job.entry_id = entry.elements[0].text;
        const auto& fields = entry.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
            const auto& name = fields[i].text;
            const auto& value = fields[i + 1].text;
            if (name == "job") job.id = value;
            else if (name == "topic") job.topic = value;
            else if (name == "payload") job.payload = value;
            else if (name == "attempt") job.attempt = std::max(1, std::atoi(value.c_str()));
        }
        if (job.id.empty()) job.topic.clear();
        jobs.push_back(std::move(job));
    }
    return jobs;
}

std::chrono::milliseconds retry_delay(const JobsConfig& config, int attempt, double jitter) {
    double base = static_cast<double>(config.retry_base.count()) * std::pow(2.0, std::max(0, attempt - 1));
    double capped = std::min(base, static_cast<double>(config.retry_max.count()));
    double factor = 1.0 - 0.5 * std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(capped * factor));
}

boost::asio::awaitable<void> schedule_retry(redis::Client& redis, const Job& job, std::chrono::milliseconds delay,
                                            const std::string& error) {
    json::object member{{"job", job.id},
                        {"topic", job.topic},
                        {"payload", job.payload},
                        {"attempt", std::to_string(job.attempt + 1)},
                        {"last_error", error.substr(0, 500)}};
    std::vector<std::string> add{"ZADD", std::string(kRetries), std::to_string(now_ms() + delay.count()),
                                 json::serialize(member)};
    co_await redis.command(add);
}

boost::asio::awaitable<void> bury(redis::Client& redis, const Job& job, const std::string& error) {
    std::vector<std::string> add{"XADD",   std::string(kDeadLetters), "MAXLEN", "~", "10000", "*",
                                 "job",    job.id,  "topic", job.topic, "payload", job.payload,
                                 "attempt", std::to_string(job.attempt), "error", error.substr(0, 2000)};
    co_await redis.command(add);
}

boost::asio::awaitable<void> acknowledge(redis::Client& redis, const Job& job) {
    std::vector<std::string> ack{"XACK", std::string(kStream), std::string(kGroup), job.entry_id};
    co_await redis.command(ack);
    std::vector<std::string> remove{"XDEL", std::string(kStream), job.entry_id};
    co_await redis.command(remove);
}

}  // namespace bijou::jobs
