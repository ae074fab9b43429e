#include "core/cpf.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> read_lines(const std::string& name) {
    std::ifstream file(std::string(BIJOU_SOURCE_DIR) + "/tests/data/cpf/" + name);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

}  // namespace

TEST(Cpf, AcceptsValidNumbers) {
    auto valid = read_lines("valid.txt");
    ASSERT_FALSE(valid.empty());
    for (const auto& cpf : valid) {
        auto digits = bijou::normalize_cpf(cpf);
        ASSERT_TRUE(digits.has_value()) << cpf;
        EXPECT_EQ(digits->size(), 11u) << cpf;
    }
    EXPECT_EQ(bijou::normalize_cpf("529.982.247-25"), "52998224725");
}

TEST(Cpf, RejectsInvalidNumbers) {
    auto invalid = read_lines("invalid.txt");
    ASSERT_FALSE(invalid.empty());
    for (const auto& cpf : invalid) EXPECT_FALSE(bijou::normalize_cpf(cpf).has_value()) << cpf;
}

TEST(Cpf, RejectsMisplacedPunctuation) {
    EXPECT_FALSE(bijou::normalize_cpf("5299.82.247-25").has_value());
    EXPECT_FALSE(bijou::normalize_cpf("529 982 247 25").has_value());
    EXPECT_FALSE(bijou::normalize_cpf("52998224725 ").has_value());
}
