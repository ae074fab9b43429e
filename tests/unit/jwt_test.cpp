#include "auth/jwt.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

using bijou::auth::Ed25519Key;
using bijou::auth::TokenError;
using bijou::auth::TokenExpectations;
using bijou::auth::VerificationKey;

namespace {

std::string read_file(const std::string& name) {
    std::ifstream file(std::string(BIJOU_SOURCE_DIR) + "/tests/data/jwt/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

class JwtTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

    void SetUp() override {
        key = Ed25519Key::generate();
        keys = {VerificationKey{"chave-1", key}};
        expected.issuer = "bijou";
        expected.audience = "bijou-storefront";
    }

    // A token signed with `signer` whose header and claims can be varied per test.
    std::string token(boost::json::object header, boost::json::object claims, const Ed25519Key& signer) const {
        return bijou::auth::sign_compact(boost::json::serialize(header), boost::json::serialize(claims), signer);
    }

    boost::json::object good_header() const { return {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", "chave-1"}}; }

    boost::json::object good_claims() const {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
        return {{"iss", "bijou"}, {"aud", "bijou-storefront"}, {"sub", "cliente-1"}, {"exp", now + 900}};
    }

    TokenError verify(const std::string& text) const { return bijou::auth::verify_token(text, keys, expected).error; }

    Ed25519Key key;
    std::vector<VerificationKey> keys;
    TokenExpectations expected;
};

}  // namespace

TEST_F(JwtTest, Rfc8037VectorSignsAndVerifies) {
    auto vector = boost::json::parse(read_file("rfc8037-ed25519.json")).as_object();
    auto& jwk = vector["private_jwk"].as_object();
    auto seed = bijou::auth::base64url_decode(jwk["d"].as_string());
    auto public_key = bijou::auth::base64url_decode(jwk["x"].as_string());
    ASSERT_TRUE(seed.has_value());
    ASSERT_TRUE(public_key.has_value());

    auto signer = Ed25519Key::from_private(*seed);
    EXPECT_EQ(signer.public_bytes(), *public_key);
    auto compact = bijou::auth::sign_compact(std::string(vector["protected_header"].as_string()),
                                             std::string(vector["payload"].as_string()), signer);
    EXPECT_EQ(compact, vector["compact_jws"].as_string());

    auto verifier = Ed25519Key::from_public(*public_key);
    EXPECT_TRUE(bijou::auth::verify_compact_signature(std::string(vector["compact_jws"].as_string()), verifier));
    auto tampered = std::string(vector["compact_jws"].as_string());
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(bijou::auth::verify_compact_signature(tampered, verifier));
}

TEST_F(JwtTest, UnsecuredTokenRejected) {
    auto unsecured = read_file("rfc7515-unsecured.txt");
    while (!unsecured.empty() && (unsecured.back() == '\n' || unsecured.back() == '\r')) unsecured.pop_back();
    EXPECT_EQ(verify(unsecured), TokenError::unsupported_algorithm);
}

TEST_F(JwtTest, ValidTokenAccepted) {
    auto result = bijou::auth::verify_token(token(good_header(), good_claims(), key), keys, expected);
    EXPECT_EQ(result.error, TokenError::none);
    EXPECT_EQ(result.claims["sub"].as_string(), "cliente-1");
}

TEST_F(JwtTest, AlgorithmConfusionRejected) {
    auto header = good_header();
    header["alg"] = "HS256";
    EXPECT_EQ(verify(token(header, good_claims(), key)), TokenError::unsupported_algorithm);
    header["alg"] = "none";
    EXPECT_EQ(verify(token(header, good_claims(), key)), TokenError::unsupported_algorithm);
    header.erase("alg");
    EXPECT_EQ(verify(token(header, good_claims(), key)), TokenError::unsupported_algorithm);
}

TEST_F(JwtTest, UnknownKeyAndBadSignature) {
    auto header = good_header();
    header["kid"] = "chave-desconhecida";
    EXPECT_EQ(verify(token(header, good_claims(), key)), TokenError::unknown_key);
    EXPECT_EQ(verify(token(good_header(), good_claims(), Ed25519Key::generate())), TokenError::bad_signature);
}

TEST_F(JwtTest, ClaimsChecked) {
    auto claims = good_claims();
    claims["iss"] = "outro-emissor";
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::wrong_issuer);

    claims = good_claims();
    claims["aud"] = "bijou-admin";
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::wrong_audience);
    claims["aud"] = boost::json::array{"outro", "bijou-storefront"};
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::none);

    auto header = good_header();
    header["typ"] = "JWT";
    EXPECT_EQ(verify(token(header, good_claims(), key)), TokenError::wrong_type);
}

TEST_F(JwtTest, ExpiryAndNotBefore) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
    auto claims = good_claims();
    claims["exp"] = now - 60;
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::expired);
    claims.erase("exp");
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::expired);
    claims["exp"] = "amanhã";
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::expired);

    claims = good_claims();
    claims["nbf"] = now + 3600;
    EXPECT_EQ(verify(token(good_header(), claims, key)), TokenError::not_yet_valid);
}

TEST_F(JwtTest, MalformedTokens) {
    for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!!.???.***", "W10.e30.c2ln"}) {
        EXPECT_EQ(verify(bad), TokenError::malformed) << bad;
    }
    // "{}" as the header parses but names no algorithm.
    EXPECT_EQ(verify("e30.e30."), TokenError::unsupported_algorithm);
    EXPECT_EQ(verify(std::string(9000, 'a') + ".b.c"), TokenError::malformed);
}
