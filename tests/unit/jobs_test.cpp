#include "jobs/queue.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using bijou::jobs::retry_delay;

bijou::JobsConfig config() {
    bijou::JobsConfig jobs;
    jobs.retry_base = 1000ms;
    jobs.retry_max = 10'000ms;
    return jobs;
}

TEST(RetryDelay, DoublesPerAttemptUpToTheCap) {
    EXPECT_EQ(retry_delay(config(), 1, 0.0), 1000ms);
    EXPECT_EQ(retry_delay(config(), 2, 0.0), 2000ms);
    EXPECT_EQ(retry_delay(config(), 4, 0.0), 8000ms);
    EXPECT_EQ(retry_delay(config(), 5, 0.0), 10'000ms);
    EXPECT_EQ(retry_delay(config(), 60, 0.0), 10'000ms);
}

TEST(RetryDelay, JitterTakesOffAtMostHalf) {
    EXPECT_EQ(retry_delay(config(), 2, 1.0), 1000ms);
    EXPECT_EQ(retry_delay(config(), 2, 0.5), 1500ms);
    EXPECT_EQ(retry_delay(config(), 2, 7.0), 1000ms);
}

bijou::redis::Reply text(std::string value) {
    bijou::redis::Reply reply;
    reply.type = bijou::redis::Reply::Type::string;
    reply.text = std::move(value);
    return reply;
}

bijou::redis::Reply array(std::vector<bijou::redis::Reply> elements) {
    bijou::redis::Reply reply;
    reply.type = bijou::redis::Reply::Type::array;
    reply.elements = std::move(elements);
    return reply;
}

TEST(ParseEntries, ReadsFieldsAndSkipsDeletedEntries) {
    auto fields = array({text("job"), text("42"), text("topic"), text("mail.verify_email"), text("payload"),
                         text(R"({"user_id":"x"})"), text("attempt"), text("3")});
    auto entries = array({array({text("1700000000000-0"), fields}), bijou::redis::Reply{},
                          array({text("1700000000000-1"), array({text("other"), text("1")})})});
    auto jobs = bijou::jobs::parse_entries(entries);
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].id, "42");
    EXPECT_EQ(jobs[0].entry_id, "1700000000000-0");
    EXPECT_EQ(jobs[0].topic, "mail.verify_email");
    EXPECT_EQ(jobs[0].attempt, 3);
    // An entry without a job id comes back without a topic, for the dead-letter stream.
    EXPECT_EQ(jobs[1].entry_id, "1700000000000-1");
    EXPECT_TRUE(jobs[1].topic.empty());
}

}  // namespace
