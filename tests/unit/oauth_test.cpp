// PKCE, provider JWKs and ID-token verification for social login.

#include "auth/oauth.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <fstream>
#include <memory>
#include <sstream>

#include "auth/jwk.hpp"
#include "auth/jwt.hpp"

namespace json = boost::json;
using bijou::auth::IdTokenError;
using bijou::auth::IdTokenExpectations;
using bijou::auth::PublicJwk;
using bijou::auth::base64url_encode;

namespace {

json::object read_vector(const std::string& name) {
    std::ifstream file(std::string(BIJOU_SOURCE_DIR) + "/tests/data/jwt/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return json::parse(text.str()).as_object();
}

// Splits a compact JWS into its signing input and decoded signature.
std::pair<std::string, std::string> split_jws(std::string_view jws) {
    auto last_dot = jws.rfind('.');
    return {std::string(jws.substr(0, last_dot)), *bijou::auth::base64url_decode(jws.substr(last_dot + 1))};
}

std::string flip_last_byte(std::string bytes) {
    bytes.back() = static_cast<char>(bytes.back() ^ 0x01);
    return bytes;
}

using Key = std::shared_ptr<EVP_PKEY>;

Key generate(const char* type, const char* parameter, int bits = 0) {
    EVP_PKEY* key = bits != 0 ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, static_cast<size_t>(bits))
                              : EVP_PKEY_Q_keygen(nullptr, nullptr, type, parameter);
    return {key, &EVP_PKEY_free};
}

std::string big_number_bytes(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    EVP_PKEY_get_bn_param(key, name, &number);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    return bytes;
}

json::object rsa_jwk(EVP_PKEY* key, const std::string& kid) {
    return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
            {"n", base64url_encode(big_number_bytes(key, OSSL_PKEY_PARAM_RSA_N))},
            {"e", base64url_encode(big_number_bytes(key, OSSL_PKEY_PARAM_RSA_E))}};
}

json::object ec_jwk(EVP_PKEY* key, const std::string& kid) {
    unsigned char point[65];
    std::size_t length = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
    std::string x(reinterpret_cast<char*>(point) + 1, 32);
    std::string y(reinterpret_cast<char*>(point) + 33, 32);
    return {{"kty", "EC"}, {"crv", "P-256"}, {"kid", kid}, {"x", base64url_encode(x)}, {"y", base64url_encode(y)}};
}

std::string sign_sha256(EVP_PKEY* key, std::string_view input) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t length = 0;
    EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
    return signature;
}

// Converts a DER ECDSA signature into the 64-byte R || S form of JWS.
std::string raw_ecdsa(const std::string& der) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &bytes, static_cast<long>(der.size())),
                                                              &ECDSA_SIG_free);
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    return out;
}

class IdTokenTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ASSERT_GE(sodium_init(), 0);
        rsa = generate("RSA", nullptr, 2048);
        ec = generate("EC", "P-256");
    }
    static void TearDownTestSuite() {
        rsa.reset();
        ec.reset();
    }

    void SetUp() override {
        keys.push_back(*PublicJwk::from_json(rsa_jwk(rsa.get(), "rsa-1")));
        keys.push_back(*PublicJwk::from_json(ec_jwk(ec.get(), "ec-1")));
        expected.issuer = "https://contas.exemplo.com.br";
        expected.client_id = "bijou-loja";
        expected.nonce = "n-0S6_WzA2Mj";
    }

    std::int64_t now() const {
        return std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
    }

    json::object claims() const {
        return {{"iss", expected.issuer}, {"aud", expected.client_id}, {"sub", "248289761001"},
                {"email", "ana@exemplo.com.br"}, {"email_verified", true}, {"nonce", expected.nonce},
                {"iat", now()}, {"exp", now() + 600}};
    }

    static std::string sign(const json::object& header, const json::object& body) {
        auto input = base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(body));
        std::string signature;
        auto algorithm = header.at("alg").as_string();
        if (algorithm == "RS256") signature = sign_sha256(rsa.get(), input);
        if (algorithm == "ES256") signature = raw_ecdsa(sign_sha256(ec.get(), input));
        return input + "." + base64url_encode(signature);
    }

    IdTokenError check(const std::string& token) const {
        return bijou::auth::verify_id_token(token, keys, expected).error;
    }

    static inline Key rsa;
    static inline Key ec;
    std::vector<PublicJwk> keys;
    IdTokenExpectations expected;
};

}  // namespace

TEST(Pkce, Rfc7636AppendixBVector) {
    EXPECT_EQ(bijou::auth::pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, ChallengeIsUnpaddedBase64url) {
    auto challenge = bijou::auth::pkce_s256_challenge("outro-verificador-com-43-caracteres-no-minimo");
    EXPECT_EQ(challenge.size(), 43u);
    EXPECT_EQ(challenge.find_first_of("+/="), std::string::npos);
}

TEST(Jwk, Rfc7515RsaVectorVerifies) {
    auto vector = read_vector("rfc7515-rs256.json");
    auto key = PublicJwk::from_json(vector["jwk"]);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->algorithm(), "RS256");
    auto [input, signature] = split_jws(vector["jws"].as_string());
    EXPECT_TRUE(key->verify(input, signature));
    EXPECT_FALSE(key->verify(input, flip_last_byte(signature)));
    EXPECT_FALSE(key->verify(input + "x", signature));
}

TEST(Jwk, Rfc7515EcVectorVerifies) {
    auto vector = read_vector("rfc7515-es256.json");
    auto key = PublicJwk::from_json(vector["jwk"]);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->algorithm(), "ES256");
    auto [input, signature] = split_jws(vector["jws"].as_string());
    EXPECT_TRUE(key->verify(input, signature));
    EXPECT_FALSE(key->verify(input, flip_last_byte(signature)));
    EXPECT_FALSE(key->verify(input, signature.substr(1)));
}

TEST(Jwk, RejectsKeysWithoutPinnedAlgorithm) {
    auto rsa = read_vector("rfc7515-rs256.json")["jwk"].as_object();
    auto ec = read_vector("rfc7515-es256.json")["jwk"].as_object();
    std::string reason;

    auto hmac = json::object{{"kty", "oct"}, {"k", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T"}};
    EXPECT_FALSE(PublicJwk::from_json(hmac, &reason));
    EXPECT_EQ(reason, "unsupported key type");

    auto rsa_claiming_hs256 = rsa;
    rsa_claiming_hs256["alg"] = "HS256";
    EXPECT_FALSE(PublicJwk::from_json(rsa_claiming_hs256));
    auto ec_claiming_rs256 = ec;
    ec_claiming_rs256["alg"] = "RS256";
    EXPECT_FALSE(PublicJwk::from_json(ec_claiming_rs256));

    auto encryption = rsa;
    encryption["use"] = "enc";
    EXPECT_FALSE(PublicJwk::from_json(encryption));

    auto p384 = ec;
    p384["crv"] = "P-384";
    EXPECT_FALSE(PublicJwk::from_json(p384));

    auto off_curve = ec;
    off_curve["y"] = base64url_encode(std::string(32, '\x01'));
    reason.clear();
    EXPECT_FALSE(PublicJwk::from_json(off_curve, &reason));
    EXPECT_NE(reason.find("P-256"), std::string::npos) << reason;

    auto short_rsa = generate("RSA", nullptr, 1024);
    EXPECT_FALSE(PublicJwk::from_json(rsa_jwk(short_rsa.get(), "curta"), &reason));
    EXPECT_EQ(reason, "RSA key shorter than 2048 bits");
}

TEST(Jwk, JwksKeepsOnlyUsableSigningKeys) {
    json::array entries{read_vector("rfc7515-rs256.json")["jwk"], read_vector("rfc7515-es256.json")["jwk"],
                        json::object{{"kty", "oct"}, {"k", "c2VncmVkbw"}}, json::object{{"kty", "RSA"}, {"use", "enc"}}};
    auto keys = bijou::auth::parse_jwks(json::object{{"keys", entries}});
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].algorithm(), "RS256");
    EXPECT_EQ(keys[1].algorithm(), "ES256");
    EXPECT_TRUE(bijou::auth::parse_jwks(json::parse("[]")).empty());
}

TEST_F(IdTokenTest, AcceptsRs256AndEs256) {
    auto rs256 = bijou::auth::verify_id_token(sign({{"alg", "RS256"}, {"kid", "rsa-1"}}, claims()), keys, expected);
    EXPECT_EQ(rs256.error, IdTokenError::none);
    EXPECT_EQ(rs256.claims.at("sub").as_string(), "248289761001");
    EXPECT_EQ(check(sign({{"alg", "ES256"}, {"kid", "ec-1"}}, claims())), IdTokenError::none);
}

TEST_F(IdTokenTest, RejectsNoneAndHmac) {
    auto body = base64url_encode(json::serialize(claims()));
    EXPECT_EQ(check(base64url_encode(R"({"alg":"none"})") + "." + body + "."), IdTokenError::unsupported_algorithm);
    // HMAC keyed with public material is the classic algorithm-confusion forgery.
    auto input = base64url_encode(R"({"alg":"HS256","kid":"rsa-1"})") + "." + body;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    auto secret = big_number_bytes(rsa.get(), OSSL_PKEY_PARAM_RSA_N);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    crypto_auth_hmacsha256_final(&state, mac);
    auto forged = input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac));
    EXPECT_EQ(check(forged), IdTokenError::unsupported_algorithm);
}

TEST_F(IdTokenTest, KeyPinsAlgorithm) {
    // An ES256 signature presented under the RSA key's kid never reaches a verifier.
    auto token = sign({{"alg", "ES256"}, {"kid", "ec-1"}}, claims());
    auto swapped = base64url_encode(R"({"alg":"ES256","kid":"rsa-1"})") + token.substr(token.find('.'));
    EXPECT_EQ(check(swapped), IdTokenError::unsupported_algorithm);
}

TEST_F(IdTokenTest, KeySelection) {
    EXPECT_EQ(check(sign({{"alg", "RS256"}, {"kid", "rsa-2"}}, claims())), IdTokenError::unknown_key);
    // Without a kid the key is ambiguous among two, and unambiguous when alone.
    auto without_kid = sign({{"alg", "RS256"}}, claims());
    EXPECT_EQ(check(without_kid), IdTokenError::unknown_key);
    keys.pop_back();
    EXPECT_EQ(check(without_kid), IdTokenError::none);
}

TEST_F(IdTokenTest, RejectsAlteredTokens) {
    auto token = sign({{"alg", "RS256"}, {"kid", "rsa-1"}}, claims());
    auto other_claims = claims();
    other_claims["sub"] = "outra-pessoa";
    auto first_dot = token.find('.');
    auto last_dot = token.rfind('.');
    auto swapped_body = token.substr(0, first_dot + 1) + base64url_encode(json::serialize(other_claims)) + token.substr(last_dot);
    EXPECT_EQ(check(swapped_body), IdTokenError::bad_signature);
    EXPECT_EQ(check(token.substr(0, last_dot + 1) + "AAAA"), IdTokenError::bad_signature);
    EXPECT_EQ(check("um.dois"), IdTokenError::malformed);
    EXPECT_EQ(check(token + ".extra"), IdTokenError::malformed);
    EXPECT_EQ(check(std::string(20000, 'a')), IdTokenError::malformed);
}

TEST_F(IdTokenTest, ChecksIssuerAudienceAndAuthorizedParty) {
    auto header = json::object{{"alg", "ES256"}, {"kid", "ec-1"}};
    auto body = claims();
    body["iss"] = "https://contas.exemplo.com.br/";
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_issuer);

    body = claims();
    body["aud"] = "outro-cliente";
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_audience);
    body["aud"] = json::array{"outro-cliente", expected.client_id};
    EXPECT_EQ(check(sign(header, body)), IdTokenError::none);
    body["azp"] = "outro-cliente";
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_authorized_party);
    body.erase("aud");
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_audience);
}

TEST_F(IdTokenTest, ChecksTimesWithLeeway) {
    auto header = json::object{{"alg", "RS256"}, {"kid", "rsa-1"}};
    auto body = claims();
    body["exp"] = now() - 61;
    EXPECT_EQ(check(sign(header, body)), IdTokenError::expired);
    body["exp"] = now() - 30;
    EXPECT_EQ(check(sign(header, body)), IdTokenError::none);
    body.erase("exp");
    EXPECT_EQ(check(sign(header, body)), IdTokenError::expired);

    body = claims();
    body["iat"] = now() + 120;
    EXPECT_EQ(check(sign(header, body)), IdTokenError::issued_in_future);
    body.erase("iat");
    EXPECT_EQ(check(sign(header, body)), IdTokenError::missing_claim);
}

TEST_F(IdTokenTest, RequiresSubjectAndNonce) {
    auto header = json::object{{"alg", "RS256"}, {"kid", "rsa-1"}};
    auto body = claims();
    body.erase("sub");
    EXPECT_EQ(check(sign(header, body)), IdTokenError::missing_claim);
    body["sub"] = "";
    EXPECT_EQ(check(sign(header, body)), IdTokenError::missing_claim);

    body = claims();
    body["nonce"] = "n-outro";
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_nonce);
    body.erase("nonce");
    EXPECT_EQ(check(sign(header, body)), IdTokenError::wrong_nonce);
}

TEST(EmailVerifiedClaim, AcceptsBooleanAndStringForms) {
    using bijou::auth::email_verified_claim;
    EXPECT_TRUE(email_verified_claim({{"email_verified", true}}));
    EXPECT_TRUE(email_verified_claim({{"email_verified", "true"}}));
    EXPECT_FALSE(email_verified_claim({{"email_verified", false}}));
    EXPECT_FALSE(email_verified_claim({{"email_verified", "false"}}));
    EXPECT_FALSE(email_verified_claim({}));
}

TEST(EmailVerifiedClaim, RejectsOtherValues) {
    using bijou::auth::email_verified_claim;
    for (const auto* text : {"TRUE", "True", "1", "yes", " true", ""}) {
        EXPECT_FALSE(email_verified_claim({{"email_verified", text}})) << text;
    }
    EXPECT_FALSE(email_verified_claim({{"email_verified", 1}}));
    EXPECT_FALSE(email_verified_claim({{"email_verified", nullptr}}));
}

TEST(BindingCookie, SameSiteFollowsResponseMode) {
    using bijou::OAuthResponseMode;
    using bijou::auth::binding_cookie;
    std::chrono::seconds ttl{600};
    EXPECT_EQ(binding_cookie("v", ttl, OAuthResponseMode::query, true),
              "bijou_oauth=v; Path=/v1/auth/oauth; Max-Age=600; SameSite=Lax; HttpOnly; Secure");
    EXPECT_EQ(binding_cookie("v", ttl, OAuthResponseMode::form_post, true),
              "bijou_oauth=v; Path=/v1/auth/oauth; Max-Age=600; SameSite=None; HttpOnly; Secure");
    // Browsers drop a SameSite=None cookie without Secure, so without Secure it stays Lax.
    EXPECT_EQ(binding_cookie("v", ttl, OAuthResponseMode::form_post, false),
              "bijou_oauth=v; Path=/v1/auth/oauth; Max-Age=600; SameSite=Lax; HttpOnly");
    EXPECT_EQ(binding_cookie("", std::chrono::seconds(0), OAuthResponseMode::query, false),
              "bijou_oauth=; Path=/v1/auth/oauth; Max-Age=0; SameSite=Lax; HttpOnly");
}
