// The command-line interface: migrations, seeding, configuration errors and help.

#include <gtest/gtest.h>

#include <future>

#include "support/http_client.hpp"
#include "support/stack.hpp"

using bijou::testing::required_env;
using bijou::testing::run_command;

namespace {

std::string database_url(const std::string& name) {
    auto base = required_env("BIJOU_TEST_DATABASE_URL");
    return base.substr(0, base.rfind('/') + 1) + name;
}

void recreate_database(const std::string& name) {
    auto admin = required_env("BIJOU_TEST_ADMIN_DATABASE_URL");
    std::string output;
    ASSERT_EQ(run_command({"/usr/bin/psql", admin, "-qc", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"}, {}, &output), 0) << output;
    ASSERT_EQ(run_command({"/usr/bin/psql", admin, "-qc", "CREATE DATABASE " + name + " OWNER bijou"}, {}, &output), 0) << output;
}

std::string query(const std::string& url, const std::string& sql) {
    std::string output;
    EXPECT_EQ(run_command({"/usr/bin/psql", url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

int run_bijou(const std::vector<std::string>& args, const std::string& url, std::string* output,
          std::map<std::string, std::string> extra = {}) {
    auto env = bijou::testing::stack_env();
    env["DATABASE_URL"] = url;
    for (auto& [key, value] : extra) env[key] = value;
    std::vector<std::string> argv{required_env("BIJOU_BINARY")};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, env, output);
}

}  // namespace

TEST(Migrate, IdempotentAndReportsStatus) {
    recreate_database("it_cli_migrate");
    auto url = database_url("it_cli_migrate");
    std::string output;
    ASSERT_EQ(run_bijou({"migrate", "status"}, url, &output), 1) << output;
    EXPECT_NE(output.find("pending  0001_foundation"), std::string::npos) << output;

    ASSERT_EQ(run_bijou({"migrate", "up"}, url, &output), 0) << output;
    EXPECT_NE(output.find("applied 0001_foundation"), std::string::npos) << output;
    ASSERT_EQ(run_bijou({"migrate", "up"}, url, &output), 0) << output;
    EXPECT_NE(output.find("up to date"), std::string::npos) << output;

    ASSERT_EQ(run_bijou({"migrate", "status"}, url, &output), 0) << output;
    EXPECT_EQ(output.find("pending"), std::string::npos) << output;
}

TEST(Migrate, ConcurrentRunsApplyEachOnce) {
    recreate_database("it_cli_race");
    auto url = database_url("it_cli_race");
    std::vector<std::future<std::pair<int, std::string>>> runs;
    for (int i = 0; i < 3; ++i) {
        runs.push_back(std::async(std::launch::async, [url] {
            std::string output;
            int status = run_bijou({"migrate", "up"}, url, &output);
            return std::make_pair(status, output);
        }));
    }
    for (auto& run : runs) {
        auto [status, output] = run.get();
        EXPECT_EQ(status, 0) << output;
    }
    auto applied = query(url, "SELECT count(*) FROM schema_migrations");
    auto distinct = query(url, "SELECT count(DISTINCT version) FROM schema_migrations");
    EXPECT_EQ(applied, distinct);
    EXPECT_GE(std::stoi(applied), 5);
}

TEST(Migrate, RefusesChangedMigration) {
    recreate_database("it_cli_changed");
    auto url = database_url("it_cli_changed");
    std::string output;
    ASSERT_EQ(run_bijou({"migrate", "up"}, url, &output), 0) << output;
    query(url, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    EXPECT_EQ(run_bijou({"migrate", "up"}, url, &output), 1);
    EXPECT_NE(output.find("0001_foundation"), std::string::npos) << output;
}

TEST(Seed, IdempotentRowCounts) {
    recreate_database("it_cli_seed");
    auto url = database_url("it_cli_seed");
    std::string output;
    ASSERT_EQ(run_bijou({"migrate", "up"}, url, &output), 0) << output;
    ASSERT_EQ(run_bijou({"seed"}, url, &output), 0) << output;

    const std::string counts =
        "SELECT (SELECT count(*) FROM product) || ' ' || (SELECT count(*) FROM product_variant) || ' ' || "
        "(SELECT count(*) FROM collection) || ' ' || (SELECT count(*) FROM pendant_option) || ' ' || "
        "(SELECT count(*) FROM inventory) || ' ' || (SELECT count(*) FROM product_image) || ' ' || "
        "(SELECT count(*) FROM product_collection) || ' ' || (SELECT count(*) FROM product_pendant_option) || ' ' || "
        "(SELECT sum(on_hand) FROM inventory) || ' ' || (SELECT max(created_at) FROM product) || ' ' || "
        "(SELECT max(updated_at) FROM product) || ' ' || (SELECT max(updated_at) FROM product_variant) || ' ' || "
        "(SELECT max(updated_at) FROM collection) || ' ' || (SELECT max(updated_at) FROM inventory)";
    auto first = query(url, counts);
    ASSERT_EQ(run_bijou({"seed"}, url, &output), 0) << output;
    EXPECT_EQ(query(url, counts), first);

    // Stock moved by orders survives a second seed.
    query(url, "UPDATE inventory SET on_hand = on_hand + 7 WHERE variant_id = (SELECT id FROM product_variant ORDER BY id LIMIT 1)");
    auto moved = query(url, "SELECT sum(on_hand) FROM inventory");
    ASSERT_EQ(run_bijou({"seed"}, url, &output), 0) << output;
    EXPECT_EQ(query(url, "SELECT sum(on_hand) FROM inventory"), moved);

    EXPECT_GE(std::stoi(query(url, "SELECT count(*) FROM product")), 60);
    EXPECT_GE(std::stoi(query(url, "SELECT count(*) FROM collection")), 8);
    EXPECT_EQ(query(url, "SELECT count(*) FROM product p WHERE NOT EXISTS "
                         "(SELECT 1 FROM product_image i WHERE i.product_id = p.id)"), "0");
    EXPECT_EQ(query(url, "SELECT count(*) FROM (SELECT product_id FROM product_variant GROUP BY product_id "
                         "HAVING count(*) NOT BETWEEN 2 AND 4) s"), "0");
}

TEST(Seed, MissingDirectoryFailsClearly) {
    std::string output;
    EXPECT_EQ(run_bijou({"seed"}, database_url("it_cli_seed"), &output, {{"BIJOU_SEED_DIR", "/nonexistent/seed"}}), 1);
    EXPECT_NE(output.find("/nonexistent/seed"), std::string::npos) << output;
}

TEST(Config, InvalidValueStopsStartupNamingKey) {
    std::string output;
    EXPECT_EQ(run_bijou({"serve"}, database_url("it_cli_seed"), &output, {{"BIJOU_HTTP_PORT", "porta"}}), 2);
    EXPECT_NE(output.find("http.port"), std::string::npos) << output;
    EXPECT_EQ(run_bijou({"serve"}, database_url("it_cli_seed"), &output, {{"REDIS_URL", "localhost:6379"}}), 2);
    EXPECT_NE(output.find("redis.url"), std::string::npos) << output;
}

TEST(Help, EveryCommandHasHelp) {
    for (const auto& command : {"serve", "migrate", "seed"}) {
        std::string output;
        EXPECT_EQ(run_bijou({command, "--help"}, database_url("unused"), &output), 0) << command;
        EXPECT_NE(output.find("Usage: bijou"), std::string::npos) << command;
    }
    std::string output;
    EXPECT_EQ(run_bijou({"frobnicate"}, database_url("unused"), &output), 2);
    EXPECT_NE(output.find("unknown command"), std::string::npos);
    EXPECT_EQ(run_bijou({"serve", "extra"}, database_url("unused"), &output), 2);
    EXPECT_NE(output.find("wrong number of arguments"), std::string::npos) << output;
    EXPECT_EQ(run_bijou({"migrate", "sideways"}, database_url("unused"), &output), 2);
    EXPECT_NE(output.find("unknown action"), std::string::npos) << output;
    EXPECT_EQ(run_bijou({}, database_url("unused"), &output), 2);
    EXPECT_EQ(run_bijou({"help", "seed"}, database_url("unused"), &output), 0);
    EXPECT_NE(output.find("Usage: bijou [--config FILE] seed"), std::string::npos) << output;
}

TEST(Serve, PortInUseIsReported) {
    bijou::testing::ServerProcess first(18086, bijou::testing::stack_env());
    std::string output;
    auto env = bijou::testing::stack_env();
    env["BIJOU_HTTP_PORT"] = "18086";
    EXPECT_EQ(run_bijou({"serve"}, database_url("it_cli_seed"), &output, env), 1);
    EXPECT_NE(output.find("http.port"), std::string::npos) << output;
}
