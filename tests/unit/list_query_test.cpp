#include "catalog/list_query.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

using bijou::ApiError;
using bijou::catalog::Cursor;
using bijou::catalog::ProductListQuery;
using bijou::catalog::Sort;
using bijou::http::QueryParams;

namespace {

// Returns the field named in the error for a query string, or "" when it parses.
std::string rejected_field(const std::string& query) {
    try {
        ProductListQuery::parse(QueryParams::parse(query));
    } catch (const ApiError& error) {
        return error.errors().empty() ? "(none)" : error.errors().front().field;
    }
    return "";
}

}  // namespace

TEST(ListQuery, Defaults) {
    auto query = ProductListQuery::parse(QueryParams::parse(""));
    EXPECT_EQ(query.limit, 24);
    EXPECT_EQ(query.sort, Sort::newest);
    EXPECT_FALSE(query.cursor.has_value());
}

TEST(ListQuery, ParsesEveryFilter) {
    auto query = ProductListQuery::parse(QueryParams::parse(
        "collection=verao&category=colar&material=prata_925&min_price=1000&max_price=20000&in_stock=true&sort=price_asc&limit=5"));
    EXPECT_EQ(query.collection, "verao");
    EXPECT_EQ(query.category, "colar");
    EXPECT_EQ(query.material, "prata_925");
    EXPECT_EQ(query.min_price, 1000);
    EXPECT_EQ(query.max_price, 20000);
    EXPECT_EQ(query.in_stock, true);
    EXPECT_EQ(query.sort, Sort::price_asc);
    EXPECT_EQ(query.limit, 5);
}

TEST(ListQuery, RejectsBadParameters) {
    EXPECT_EQ(rejected_field("sort=cheapest"), "sort");
    EXPECT_EQ(rejected_field("limit=0"), "limit");
    EXPECT_EQ(rejected_field("limit=101"), "limit");
    EXPECT_EQ(rejected_field("limit=1000"), "limit");
    EXPECT_EQ(rejected_field("limit=abc"), "limit");
    EXPECT_EQ(rejected_field("min_price=-1"), "min_price");
    EXPECT_EQ(rejected_field("max_price=dez"), "max_price");
    EXPECT_EQ(rejected_field("min_price=500&max_price=100"), "max_price");
    EXPECT_EQ(rejected_field("category=relogio"), "category");
    EXPECT_EQ(rejected_field("material=ouro"), "material");
    EXPECT_EQ(rejected_field("in_stock=yes"), "in_stock");
    EXPECT_EQ(rejected_field("collection=Ver%C3%A3o"), "collection");
    EXPECT_EQ(rejected_field("cursor=!!!"), "cursor");
    EXPECT_EQ(rejected_field("limit=5&limit=6"), "limit");
}

class CursorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(CursorTest, RoundTrips) {
    Cursor cursor{Sort::name, "Colar Lua & Estrela", bijou::Uuid::v7()};
    auto decoded = bijou::catalog::decode_cursor(bijou::catalog::encode_cursor(cursor), Sort::name);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->key, cursor.key);
    EXPECT_EQ(decoded->id, cursor.id);
}

TEST_F(CursorTest, BoundToSortOrder) {
    Cursor cursor{Sort::price_asc, "12990", bijou::Uuid::v7()};
    auto token = bijou::catalog::encode_cursor(cursor);
    EXPECT_TRUE(bijou::catalog::decode_cursor(token, Sort::price_asc).has_value());
    EXPECT_FALSE(bijou::catalog::decode_cursor(token, Sort::price_desc).has_value());
}

TEST_F(CursorTest, RejectsTampering) {
    Cursor cursor{Sort::price_asc, "12990", bijou::Uuid::v7()};
    auto token = bijou::catalog::encode_cursor(cursor);
    EXPECT_FALSE(bijou::catalog::decode_cursor(token.substr(0, token.size() - 3), Sort::price_asc).has_value());
    EXPECT_FALSE(bijou::catalog::decode_cursor("", Sort::price_asc).has_value());
    Cursor not_a_number{Sort::price_asc, "doze", bijou::Uuid::v7()};
    EXPECT_FALSE(bijou::catalog::decode_cursor(bijou::catalog::encode_cursor(not_a_number), Sort::price_asc).has_value());
}

TEST_F(CursorTest, RejectsOutOfRangeKeys) {
    auto id = bijou::Uuid::v7();
    auto decode = [&](Sort sort, std::string key) {
        return bijou::catalog::decode_cursor(bijou::catalog::encode_cursor(Cursor{sort, std::move(key), id}), sort);
    };
    EXPECT_FALSE(decode(Sort::newest, "9223372036854775807").has_value());
    EXPECT_FALSE(decode(Sort::newest, "-1").has_value());
    EXPECT_TRUE(decode(Sort::newest, "253402300799999999").has_value());
    EXPECT_FALSE(decode(Sort::price_asc, "-5").has_value());
    EXPECT_FALSE(decode(Sort::name, "\xff\xfe").has_value());
    EXPECT_FALSE(decode(Sort::name, std::string("a\0b", 3)).has_value());
    EXPECT_FALSE(decode(Sort::name, "\xed\xa0\x80").has_value());
    EXPECT_TRUE(decode(Sort::name, "Colar Pérola").has_value());
}

TEST(Slug, Validation) {
    EXPECT_TRUE(bijou::catalog::is_valid_slug("colar-lua-2"));
    EXPECT_FALSE(bijou::catalog::is_valid_slug("Colar"));
    EXPECT_FALSE(bijou::catalog::is_valid_slug("-colar"));
    EXPECT_FALSE(bijou::catalog::is_valid_slug("colar--lua"));
    EXPECT_FALSE(bijou::catalog::is_valid_slug("colar'; DROP TABLE product; --"));
    EXPECT_FALSE(bijou::catalog::is_valid_slug(std::string(121, 'a')));
}
