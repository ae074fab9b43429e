#include "jobs/outbox.hpp"

#include <boost/json/serialize.hpp>

#include "jobs_sql.hpp"

namespace bijou::jobs {

namespace {
const db::Statement kInsertOutbox{"jobs.insert_outbox", sql::k_insert_outbox};
}

boost::asio::awaitable<void> enqueue(db::Connection& connection, std::string_view topic,
                                     const boost::json::object& payload, const std::optional<std::string>& dedupe_key) {
    db::Params params{std::string(topic), boost::json::serialize(payload), dedupe_key};
    co_await connection.execute(kInsertOutbox, params);
}

}  // namespace bijou::jobs
