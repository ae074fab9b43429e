// Login and sign-up budgets in Redis, the in-process fallback, and account lockout.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18088;
std::string database_url;

class RateLimitEnvironment : public ::testing::Environment {
public:
    void SetUp() override { database_url = bijou::testing::fresh_database("it_rate_limit"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new RateLimitEnvironment);

// Starts a server with the given limits on an emptied Redis database of its own, so that
// counters left by other tests do not count here.
std::unique_ptr<bijou::testing::ServerProcess> start(std::map<std::string, std::string> limits) {
    auto port = bijou::testing::required_env("BIJOU_TEST_REDIS_PORT");
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/redis-cli", "-h", "127.0.0.1", "-p", port, "-n", "3", "FLUSHDB"}, {},
                                          &output),
              0)
        << output;
    auto env = bijou::testing::stack_env();
    env["DATABASE_URL"] = database_url;
    env["REDIS_URL"] = "redis://127.0.0.1:" + port + "/3";
    env["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "1000";
    for (auto& [key, value] : limits) env[key] = value;
    return std::make_unique<bijou::testing::ServerProcess>(kPort, env);
}

bijou::testing::Response post(const std::string& target, const json::object& body) {
    return bijou::testing::request(kPort, http::verb::post, target, {{"Content-Type", "application/json"}},
                                   json::serialize(body));
}

std::string unique_email(const std::string& label) {
    static int counter = 0;
    return label + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "@exemplo.com.br";
}

void register_account(const std::string& email) {
    auto response = post("/v1/auth/register", {{"email", email}, {"password", "brinco de lua cheia"}, {"name", "Teste"}});
    ASSERT_EQ(response.result_int(), 201) << response.body();
}

void expect_rate_limited(const bijou::testing::Response& response) {
    EXPECT_EQ(response.result_int(), 429) << response.body();
    EXPECT_EQ(json_body(response).as_object()["code"].as_string(), "rate_limited");
    auto retry_after = std::string(response[http::field::retry_after]);
    ASSERT_FALSE(retry_after.empty());
    EXPECT_GT(std::stoi(retry_after), 0);
}

}  // namespace

TEST(RateLimit, LoginAttemptsPerAccount) {
    auto server = start({{"BIJOU_AUTH_LOGIN_LIMIT_PER_ACCOUNT", "3"}, {"BIJOU_AUTH_LOCKOUT_THRESHOLD", "100"}});
    auto email = unique_email("conta");
    register_account(email);
    for (int attempt = 1; attempt <= 3; ++attempt) {
        EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "senha errada"}}).result_int(), 401) << attempt;
    }
    expect_rate_limited(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}}));
    // Another account from the same client is not affected.
    auto other = unique_email("outra");
    register_account(other);
    EXPECT_EQ(post("/v1/auth/login", {{"email", other}, {"password", "brinco de lua cheia"}}).result_int(), 200);
}

TEST(RateLimit, SignUpsPerIp) {
    auto server = start({{"BIJOU_AUTH_REGISTER_LIMIT_PER_IP", "2"}});
    int created = 0;
    bijou::testing::Response last;
    for (int attempt = 0; attempt < 5; ++attempt) {
        last = post("/v1/auth/register", {{"email", unique_email("ip")}, {"password", "brinco de lua cheia"}, {"name", "IP"}});
        if (last.result_int() == 201) ++created;
    }
    EXPECT_EQ(created, 2);
    expect_rate_limited(last);
}

TEST(RateLimit, RefreshesAndExportsHaveBudgets) {
    auto server = start({{"BIJOU_AUTH_REFRESH_LIMIT_PER_IP", "2"}, {"BIJOU_AUTH_EXPORT_LIMIT_PER_ACCOUNT", "2"}});
    auto registered_account = post("/v1/auth/register", {{"email", unique_email("cotas")},
                                                         {"password", "brinco de lua cheia"},
                                                         {"name", "Cotas"},
                                                         {"client", "native"}});
    ASSERT_EQ(registered_account.result_int(), 201) << registered_account.body();
    auto body = json_body(registered_account).as_object();
    auto refresh_token = std::string(body["refresh_token"].as_string());
    auto access = std::string(body["access_token"].as_string());

    for (int attempt = 0; attempt < 2; ++attempt) {
        auto rotated = post("/v1/auth/refresh", {{"refresh_token", refresh_token}});
        ASSERT_EQ(rotated.result_int(), 200) << rotated.body();
        refresh_token = std::string(json_body(rotated).as_object()["refresh_token"].as_string());
    }
    expect_rate_limited(post("/v1/auth/refresh", {{"refresh_token", refresh_token}}));

    bijou::testing::Headers bearer{{"Authorization", "Bearer " + access}};
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/me/export", bearer).result_int(), 200);
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/me/export", bearer).result_int(), 200);
    expect_rate_limited(bijou::testing::get(kPort, "/v1/me/export", bearer));
}

TEST(RateLimit, FallsBackToProcessWhenRedisIsDown) {
    auto server = start({{"BIJOU_AUTH_LOGIN_LIMIT_PER_IP", "2"}, {"BIJOU_REDIS_COMMAND_TIMEOUT_MS", "200"}});
    bijou::testing::set_redis_running(false);
    auto email = unique_email("sem-redis");
    std::vector<int> statuses;
    for (int attempt = 0; attempt < 3; ++attempt) {
        statuses.push_back(post("/v1/auth/login", {{"email", email}, {"password", "qualquer senha"}}).result_int());
    }
    bijou::testing::set_redis_running(true);
    EXPECT_EQ(statuses[0], 401);
    EXPECT_EQ(statuses[2], 429);
}

TEST(Lockout, RepeatedFailuresLockAccount) {
    auto server = start({{"BIJOU_AUTH_LOCKOUT_THRESHOLD", "3"}, {"BIJOU_AUTH_LOGIN_LIMIT_PER_ACCOUNT", "100"}});
    auto email = unique_email("bloqueio");
    register_account(email);
    for (int attempt = 0; attempt < 3; ++attempt) {
        EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "senha errada"}}).result_int(), 401);
    }
    // Locked: even the right password fails, with the same response as a wrong one.
    auto locked = post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}});
    EXPECT_EQ(locked.result_int(), 401);
    EXPECT_EQ(json_body(locked).as_object()["code"].as_string(), "invalid_credentials");

    std::string output;
    bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc",
                                 "UPDATE app_user SET locked_until = now() - interval '1 second' WHERE email = '" + email + "'"},
                                {}, &output);
    EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}}).result_int(), 200);
}

TEST(GlobalBudget, LimitsEveryRoutePerClientAddress) {
    auto server = start({{"BIJOU_HTTP_RATE_LIMIT_PER_IP", "40"}, {"BIJOU_HTTP_THREADS", "1"}});
    int ok = 0;
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 80; ++i) {
        auto response = bijou::testing::get(kPort, "/v1/collections");
        if (response.result_int() == 200) ++ok;
        if (response.result_int() == 429) {
            ++limited;
            retry_after = std::string(response[http::field::retry_after]);
        }
    }
    // One thread syncs with Redis every 16 requests, so the budget is exceeded by at most 16.
    EXPECT_GE(ok, 40);
    EXPECT_LE(ok, 56);
    EXPECT_EQ(ok + limited, 80);
    EXPECT_FALSE(retry_after.empty());
    EXPECT_LE(std::stoi(retry_after), 60);
    // Health checks are not counted.
    EXPECT_EQ(bijou::testing::get(kPort, "/healthz").result_int(), 200);
}

TEST(GlobalBudget, TrustedProxiesPassTheClientAddress) {
    auto server = start({{"BIJOU_HTTP_RATE_LIMIT_PER_IP", "20"},
                         {"BIJOU_HTTP_THREADS", "1"},
                         {"BIJOU_HTTP_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"}});
    auto from = [](const std::string& chain) {
        return bijou::testing::get(kPort, "/v1/collections", {{"X-Forwarded-For", chain}}).result_int();
    };
    int first_client = 0;
    for (int i = 0; i < 60; ++i) first_client += from("198.51.100.7") == 429 ? 1 : 0;
    EXPECT_GT(first_client, 0);
    // Another client behind the same proxies has its own budget, and an address that a
    // client put in front of the chain is not believed.
    EXPECT_EQ(from("198.51.100.7, 203.0.113.9, 10.1.2.3"), 200);
    EXPECT_EQ(from("198.51.100.7, 203.0.113.10"), 200);
}
