#include <gtest/gtest.h>

#include "shipping/cep.hpp"
#include "shipping/rate_table.hpp"

namespace {

using bijou::shipping::normalize_cep;
using bijou::shipping::state_of_cep;

TEST(Cep, AcceptsDigitsAndTheUsualHyphen) {
    EXPECT_EQ(normalize_cep("01310100"), "01310100");
    EXPECT_EQ(normalize_cep("01310-100"), "01310100");
    EXPECT_FALSE(normalize_cep("0131-0100"));
    EXPECT_FALSE(normalize_cep("1310100"));
    EXPECT_FALSE(normalize_cep("01310 100"));
    EXPECT_FALSE(normalize_cep("013101000"));
}

TEST(Cep, MapsRangesToStates) {
    EXPECT_EQ(state_of_cep("01310100"), "SP");  // Avenida Paulista
    EXPECT_EQ(state_of_cep("20040002"), "RJ");
    EXPECT_EQ(state_of_cep("70040010"), "DF");
    EXPECT_EQ(state_of_cep("72800000"), "GO");
    EXPECT_EQ(state_of_cep("69301000"), "RR");
    EXPECT_EQ(state_of_cep("69900000"), "AC");
    EXPECT_EQ(state_of_cep("90010000"), "RS");
    EXPECT_FALSE(state_of_cep("00000000"));
}

TEST(RateTable, BuiltInTablePricesByRegionAndWeight) {
    auto table = bijou::shipping::RateTable::load(std::nullopt);
    EXPECT_EQ(table.region_of("SP"), "sudeste");
    EXPECT_EQ(table.region_of("AM"), "norte");
    auto light = table.quote({"01310100", "SP"}, {300, 5000});
    ASSERT_EQ(light.size(), 2u);
    EXPECT_EQ(light[0].code, "economy");
    EXPECT_EQ(light[0].price, 1990);
    EXPECT_EQ(light[1].code, "express");
    // 2.2 kg: the first kilogram plus two started ones.
    auto heavy = table.quote({"01310100", "SP"}, {2200, 5000});
    EXPECT_EQ(heavy[0].price, 1990 + 2 * 500);
}

TEST(RateTable, EconomyIsFreeFromTheThreshold) {
    auto table = bijou::shipping::RateTable::load(std::nullopt);
    auto quotes = table.quote({"01310100", "SP"}, {300, table.free_shipping_threshold()});
    EXPECT_EQ(quotes[0].price, 0);
    EXPECT_GT(quotes[1].price, 0);
}

TEST(RateTable, RejectsBrokenTables) {
    EXPECT_THROW(bijou::shipping::RateTable::parse("handling_days: 1\nregions: {}\n"), std::invalid_argument);
    EXPECT_THROW(bijou::shipping::RateTable::parse(
                     "free_shipping_threshold: 0\nhandling_days: 1\nregions:\n  x:\n    states: [XX]\n"
                     "    economy: {price: 1, per_extra_kg: 1, days: [1, 2]}\n"
                     "    express: {price: 1, per_extra_kg: 1, days: [1, 2]}\n"),
                 std::invalid_argument);
    EXPECT_THROW(bijou::shipping::RateTable::parse(
                     "free_shipping_threshold: 0\nhandling_days: 1\nregions:\n  x:\n    states: [SP]\n"
                     "    economy: {price: 1, per_extra_kg: 1, days: [3, 2]}\n"
                     "    express: {price: 1, per_extra_kg: 1, days: [1, 2]}\n"),
                 std::invalid_argument);
}

}  // namespace
