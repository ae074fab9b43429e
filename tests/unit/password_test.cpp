#include "auth/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <string>

using bijou::auth::PasswordPolicy;
using bijou::auth::PasswordProblem;

namespace {

std::string read_line(const std::string& path) {
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

class PasswordTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

}  // namespace

TEST_F(PasswordTest, ReferenceVectorVerifies) {
    auto reference = read_line(std::string(BIJOU_SOURCE_DIR) + "/tests/data/argon2/phc-reference.txt");
    ASSERT_TRUE(reference.starts_with("$argon2id$"));
    EXPECT_TRUE(bijou::auth::verify_password("password", reference));
    EXPECT_FALSE(bijou::auth::verify_password("Password", reference));
    EXPECT_FALSE(bijou::auth::verify_password("password ", reference));
    EXPECT_FALSE(bijou::auth::verify_password("", reference));
}

TEST_F(PasswordTest, HashesWithPolicyParameters) {
    PasswordPolicy policy;
    auto hash = bijou::auth::hash_password("colar de pérolas", policy);
    EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
    EXPECT_TRUE(bijou::auth::verify_password("colar de pérolas", hash));
    EXPECT_FALSE(bijou::auth::verify_password("colar de perolas", hash));
    EXPECT_NE(hash, bijou::auth::hash_password("colar de pérolas", policy)) << "salt must be random";
}

TEST_F(PasswordTest, RehashWhenParametersChange) {
    PasswordPolicy policy;
    auto reference = read_line(std::string(BIJOU_SOURCE_DIR) + "/tests/data/argon2/phc-reference.txt");
    EXPECT_TRUE(bijou::auth::needs_rehash(reference, policy));
    EXPECT_FALSE(bijou::auth::needs_rehash(bijou::auth::hash_password("uma senha longa", policy), policy));
}

TEST_F(PasswordTest, RejectsMalformedHashes) {
    EXPECT_FALSE(bijou::auth::verify_password("password", ""));
    EXPECT_FALSE(bijou::auth::verify_password("password", "$2b$12$abcdefghijklmnopqrstuv"));
    EXPECT_FALSE(bijou::auth::verify_password("password", "$argon2id$v=19$m=65536,t=2,p=1$garbage"));
}

TEST(NewPassword, LengthAndCommonList) {
    PasswordPolicy policy;
    EXPECT_EQ(bijou::auth::check_new_password("curta", policy), PasswordProblem::too_short);
    // Length counts characters, not bytes: 7 accented letters are still too short.
    EXPECT_EQ(bijou::auth::check_new_password("ááááááá", policy), PasswordProblem::too_short);
    EXPECT_EQ(bijou::auth::check_new_password(std::string(129, 'x'), policy), PasswordProblem::too_long);
    EXPECT_EQ(bijou::auth::check_new_password("password123", policy), PasswordProblem::too_common);
    EXPECT_EQ(bijou::auth::check_new_password("Senha123", policy), PasswordProblem::too_common);
    EXPECT_EQ(bijou::auth::check_new_password("FLAMENGO", policy), PasswordProblem::too_common);
    EXPECT_EQ(bijou::auth::check_new_password("brinco de lua cheia", policy), PasswordProblem::none);
}
