#include "core/ids.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

using bijou::Uuid;

class IdsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(IdsTest, V7HasVersionAndVariant) {
    auto id = Uuid::v7();
    EXPECT_EQ(id.version(), 7);
    EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80);
}

TEST_F(IdsTest, V7StoresTimestamp) {
    auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'796'000'000'123));
    EXPECT_EQ(Uuid::v7(now).unix_ms(), 1'796'000'000'123u);
}

TEST_F(IdsTest, V7SortsByTime) {
    auto earlier = Uuid::v7(std::chrono::system_clock::time_point(std::chrono::milliseconds(1000)));
    auto later = Uuid::v7(std::chrono::system_clock::time_point(std::chrono::milliseconds(1001)));
    EXPECT_LT(earlier, later);
    EXPECT_LT(earlier.to_string(), later.to_string());
}

TEST_F(IdsTest, V7IsUnique) {
    std::set<Uuid> seen;
    for (int i = 0; i < 10'000; ++i) seen.insert(Uuid::v7());
    EXPECT_EQ(seen.size(), 10'000u);
}

TEST_F(IdsTest, ParseRoundTrips) {
    auto text = "01a242bb-e04f-77c3-924e-c1b8eab6a13f";
    auto parsed = Uuid::parse(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->to_string(), text);
    EXPECT_EQ(Uuid::parse("01A242BB-E04F-77C3-924E-C1B8EAB6A13F")->to_string(), text);
}

TEST_F(IdsTest, ParseRejectsMalformed) {
    for (const char* bad : {"", "01a242bb-e04f-77c3-924e-c1b8eab6a13", "01a242bb-e04f-77c3-924e-c1b8eab6a13fa",
                            "01a242bbxe04f-77c3-924e-c1b8eab6a13f", "01a242bb-e04f-77c3-924e-c1b8eab6a13g",
                            "' OR 1=1 --"}) {
        EXPECT_FALSE(Uuid::parse(bad).has_value()) << bad;
    }
}

TEST_F(IdsTest, RequestIdFilter) {
    EXPECT_TRUE(bijou::is_acceptable_request_id("abc-123_DEF.4"));
    EXPECT_FALSE(bijou::is_acceptable_request_id(""));
    EXPECT_FALSE(bijou::is_acceptable_request_id("a b"));
    EXPECT_FALSE(bijou::is_acceptable_request_id("line\nbreak"));
    EXPECT_FALSE(bijou::is_acceptable_request_id(std::string(129, 'a')));
    EXPECT_EQ(bijou::random_request_id().size(), 32u);
}
