#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "db/pool.hpp"
#include "redis/client.hpp"

namespace bijou::jobs {

// Redis keys of the queue. Jobs wait in one stream, read by one consumer group. A failed
// job waits for its retry in a sorted set scored by due time. A job out of attempts goes
// to the dead-letter stream, for a person to look at.
inline constexpr std::string_view kStream = "bijou:jobs";
inline constexpr std::string_view kGroup = "workers";
inline constexpr std::string_view kRetries = "bijou:jobs:retry";
inline constexpr std::string_view kDeadLetters = "bijou:jobs:dead";
// Prefix of the marker a finished job leaves, so a redelivered copy is not run again.
inline constexpr std::string_view kDonePrefix = "bijou:jobs:done:";

// One delivery of a job.
struct Job {
    // The outbox id: the same on every delivery and retry of the job.
    std::string id;
    // The stream entry of this delivery, acknowledged when it ends.
    std::string entry_id;
    std::string topic;
    // A JSON object.
    std::string payload;
    int attempt = 1;
};

// An exception for a failure that no retry can fix, such as a recipient the mail server
// rejects. The job goes to the dead-letter stream at once.
class PermanentFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Handler = std::function<boost::asio::awaitable<void>(const Job&)>;

// Returns the job's payload as a JSON object. Throws PermanentFailure when it is not one.
boost::json::object payload_object(const Job& job);

// Returns the string field `name` of the payload. Throws PermanentFailure when it is
// missing, not a string, or (with `uuid` set) not a UUID.
std::string payload_string(const Job& job, std::string_view name, bool uuid = false);

// Creates the consumer group (and the stream) when missing.
boost::asio::awaitable<void> ensure_group(redis::Client& redis);

// Copies up to `limit` outbox rows that are not yet relayed into the stream and marks them
// relayed, oldest first. Returns how many. A crash between the two steps relays a row
// again, which the done markers and idempotent handlers absorb.
boost::asio::awaitable<int> relay_outbox(db::Pool& pool, redis::Client& redis, int limit);

// Deletes outbox rows relayed more than `age` ago.
boost::asio::awaitable<void> purge_outbox(db::Pool& pool, std::chrono::seconds age);

// Moves retries whose time has come back into the stream. Returns how many.
boost::asio::awaitable<int> release_due_retries(redis::Client& redis);

// Decodes the entries of an XREADGROUP or XAUTOCLAIM reply. Entries without the expected
// fields (written by hand, say) come back with an empty topic.
std::vector<Job> parse_entries(const redis::Reply& entries);

// Delay before attempt `attempt + 1`: retry_base doubled per attempt, capped at retry_max,
// then jittered down by up to half so that jobs failing together do not retry together.
std::chrono::milliseconds retry_delay(const JobsConfig& config, int attempt, double jitter);

// Where a failed attempt goes next.
boost::asio::awaitable<void> schedule_retry(redis::Client& redis, const Job& job, std::chrono::milliseconds delay,
                                            const std::string& error);
boost::asio::awaitable<void> bury(redis::Client& redis, const Job& job, const std::string& error);

// Ends a delivery: acknowledges the entry and deletes it, so the stream holds only jobs
// that are waiting or running.
boost::asio::awaitable<void> acknowledge(redis::Client& redis, const Job& job);

}  // namespace bijou::jobs
