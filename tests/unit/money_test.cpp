#include "core/money.hpp"

#include <gtest/gtest.h>

#include <limits>

using bijou::Money;

TEST(Money, FormatsBrazilianStyle) {
    EXPECT_EQ(Money(0).format_brl(), "R$ 0,00");
    EXPECT_EQ(Money(5).format_brl(), "R$ 0,05");
    EXPECT_EQ(Money(12990).format_brl(), "R$ 129,90");
    EXPECT_EQ(Money(123456789).format_brl(), "R$ 1.234.567,89");
    EXPECT_EQ(Money(-99).format_brl(), "-R$ 0,99");
}

TEST(Money, FormatsInt64Minimum) {
    EXPECT_EQ(Money(std::numeric_limits<std::int64_t>::min()).format_brl(), "-R$ 92.233.720.368.547.758,08");
}

TEST(Money, AdditionDetectsOverflow) {
    EXPECT_EQ(Money(100).plus(Money(250))->centavos(), 350);
    EXPECT_FALSE(Money(std::numeric_limits<std::int64_t>::max()).plus(Money(1)).has_value());
}

TEST(Money, MultiplicationDetectsOverflow) {
    EXPECT_EQ(Money(1990).times(3)->centavos(), 5970);
    EXPECT_FALSE(Money(std::numeric_limits<std::int64_t>::max() / 2).times(3).has_value());
}

TEST(Money, ParsesPlainCentavos) {
    EXPECT_EQ(bijou::parse_centavos("0"), 0);
    EXPECT_EQ(bijou::parse_centavos("12990"), 12990);
    for (const char* bad : {"", "-1", "+1", "12.5", "1e3", " 1", "abc", "9999999999999999"}) {
        EXPECT_FALSE(bijou::parse_centavos(bad).has_value()) << bad;
    }
}
