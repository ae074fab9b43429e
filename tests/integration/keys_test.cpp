// Signing-key rotation, sealing at rest and the JWKS endpoint.

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "auth/keys.hpp"
#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace asio = boost::asio;
using bijou::testing::required_env;
using bijou::testing::run_command;

namespace {

std::string database_url;
constexpr std::uint16_t kPort = 18084;

class KeysEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        ASSERT_GE(sodium_init(), 0);
        database_url = bijou::testing::fresh_database("it_keys");
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new KeysEnvironment);

std::map<std::string, std::string> env() {
    auto values = bijou::testing::stack_env();
    values["DATABASE_URL"] = database_url;
    // Most tests need the new key to sign at once; DelayedRotation covers the delay.
    values["BIJOU_AUTH_KEY_ACTIVATION_DELAY_S"] = "0";
    return values;
}

std::string rotate(const std::string& delay = "0") {
    std::string output;
    auto values = env();
    values["BIJOU_AUTH_KEY_ACTIVATION_DELAY_S"] = delay;
    EXPECT_EQ(run_command({required_env("BIJOU_BINARY"), "keys", "rotate"}, values, &output), 0) << output;
    auto at = output.find("activating ");
    EXPECT_NE(at, std::string::npos) << output;
    auto kid = output.substr(at + 11);
    return kid.substr(0, kid.find(' '));
}

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

boost::json::array jwks() {
    bijou::testing::ServerProcess server(kPort, env());
    auto response = bijou::testing::get(kPort, "/.well-known/jwks.json");
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/jwk-set+json");
    return bijou::testing::json_body(response).as_object()["keys"].as_array();
}

std::shared_ptr<const bijou::auth::KeyRing> load_ring(const std::string& master_key) {
    bijou::Config config;
    config.database.url = database_url;
    config.auth.master_key = master_key;
    asio::io_context io;
    bijou::db::Pool pool(io, config.database);
    bijou::auth::KeyStore store(pool, config);
    auto future = asio::co_spawn(io, store.current(), asio::use_future);
    io.run();
    return future.get();
}

}  // namespace

TEST(Keys, RotationKeepsPreviousKeyVerifying) {
    // The test database starts with the key that `bijou keys ensure` made.
    EXPECT_EQ(jwks().size(), 1u);

    auto first = rotate();
    auto second = rotate();
    ASSERT_NE(first, second);

    EXPECT_EQ(query("SELECT count(*) FROM signing_key WHERE activated_at IS NOT NULL AND retired_at IS NULL"), "1");
    EXPECT_EQ(query("SELECT kid FROM signing_key WHERE retired_at IS NULL"), second);
    EXPECT_EQ(query("SELECT count(*) FROM signing_key WHERE public_jwk ? 'd'"), "0");
    // 24-byte nonce, 16-byte tag, 32-byte seed.
    EXPECT_EQ(query("SELECT DISTINCT length(private_key_encrypted) FROM signing_key"), "72");

    auto keys = jwks();
    ASSERT_EQ(keys.size(), 3u);
    EXPECT_EQ(keys[0].as_object()["kid"].as_string(), second);
    EXPECT_EQ(keys[1].as_object()["kid"].as_string(), first);
    for (auto& key : keys) {
        EXPECT_EQ(key.as_object()["kty"].as_string(), "OKP");
        EXPECT_EQ(key.as_object()["alg"].as_string(), "EdDSA");
        EXPECT_FALSE(key.as_object().contains("d"));
    }
}

TEST(Keys, SignerUnsealsAndSignsVerifiableTokens) {
    rotate();
    auto ring = load_ring("");
    ASSERT_TRUE(ring->signer.has_value());
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    boost::json::object header{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", ring->signer->kid}};
    boost::json::object claims{{"iss", "bijou"}, {"aud", "bijou-storefront"}, {"exp", now + 60}};
    auto token = bijou::auth::sign_compact(boost::json::serialize(header), boost::json::serialize(claims), ring->signer->key);

    bijou::auth::TokenExpectations expected;
    expected.issuer = "bijou";
    expected.audience = "bijou-storefront";
    EXPECT_EQ(bijou::auth::verify_token(token, ring->verification, expected).error, bijou::auth::TokenError::none);
}

TEST(Keys, DelayedRotationPublishesBeforeSigning) {
    rotate();
    auto current = load_ring("");
    ASSERT_TRUE(current->signer.has_value());
    auto signing = current->signer->kid;

    auto next = rotate("60");
    auto ring = load_ring("");
    ASSERT_TRUE(ring->signer.has_value());
    // The old key signs until the delay ends, while verifiers already know the new one.
    EXPECT_EQ(ring->signer->kid, signing);
    bool published = std::any_of(ring->verification.begin(), ring->verification.end(),
                                 [&](const auto& key) { return key.kid == next; });
    EXPECT_TRUE(published);
    EXPECT_EQ(query("SELECT activated_at > now() + interval '50 seconds' FROM signing_key WHERE kid = '" + next + "'"), "t");

    // Once the time comes, the new key signs (the clock is moved by moving the rows back).
    query("UPDATE signing_key SET created_at = created_at - interval '2 minutes', activated_at = activated_at - interval "
          "'2 minutes', retired_at = retired_at - interval '2 minutes' WHERE kid IN ('" + signing + "', '" + next + "')");
    EXPECT_EQ(load_ring("")->signer->kid, next);
}

TEST(Keys, WrongMasterKeyCannotSign) {
    rotate();
    auto ring = load_ring("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
    EXPECT_FALSE(ring->signer.has_value());
    EXPECT_FALSE(ring->verification.empty());
}

TEST(Keys, ExpiredKeyLeavesKeySet) {
    rotate();
    auto before = load_ring("")->verification.size();
    // Move the retired keys' whole life into the past, as if their tokens had all expired.
    query("UPDATE signing_key SET activated_at = created_at, retired_at = created_at, "
          "expires_at = created_at + interval '1 microsecond' WHERE retired_at IS NOT NULL");
    auto after = load_ring("")->verification.size();
    EXPECT_EQ(after, 1u);
    EXPECT_GT(before, after);
}

TEST(MasterKey, SealAndOpen) {
    bijou::Config config;
    auto master = bijou::auth::MasterKey::from_config(config);
    auto sealed = master.seal("segredo");
    EXPECT_EQ(master.open(sealed), "segredo");
    auto altered = sealed;
    altered.back() = static_cast<char>(altered.back() ^ 1);
    EXPECT_FALSE(master.open(altered).has_value());
    config.env = "production";
    EXPECT_THROW(bijou::auth::MasterKey::from_config(config), std::runtime_error);
}
