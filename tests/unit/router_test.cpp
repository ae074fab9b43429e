#include "http/router.hpp"

#include <gtest/gtest.h>

using bijou::http::Router;
using bijou::http::Verb;

namespace {

Router<std::string> make_router() {
    Router<std::string> router;
    router.add(Verb::get, "/v1/products", "list");
    router.add(Verb::get, "/v1/products/{slug}", "detail");
    router.add(Verb::get, "/v1/products/{slug}/pendant-options", "pendants");
    router.add(Verb::post, "/v1/cart/items", "add");
    router.add(Verb::get, "/media/{key...}", "media");
    return router;
}

}  // namespace

TEST(Router, MatchesStaticPath) {
    auto router = make_router();
    auto match = router.match(Verb::get, "/v1/products");
    ASSERT_NE(match.target, nullptr);
    EXPECT_EQ(*match.target, "list");
}

TEST(Router, CapturesPathParameter) {
    auto router = make_router();
    auto match = router.match(Verb::get, "/v1/products/colar-lua");
    ASSERT_NE(match.target, nullptr);
    EXPECT_EQ(*match.target, "detail");
    EXPECT_EQ(match.params.get("slug"), "colar-lua");
}

TEST(Router, DecodesPercentEscapes) {
    auto router = make_router();
    auto match = router.match(Verb::get, "/v1/products/anel%20prata");
    ASSERT_NE(match.target, nullptr);
    EXPECT_EQ(match.params.get("slug"), "anel prata");
}

TEST(Router, RejectsEncodedSlashAndBadEscape) {
    auto router = make_router();
    EXPECT_EQ(router.match(Verb::get, "/v1/products/a%2Fb").target, nullptr);
    EXPECT_EQ(router.match(Verb::get, "/v1/products/a%zz").target, nullptr);
    EXPECT_EQ(router.match(Verb::get, "/v1/products/a%2").target, nullptr);
}

TEST(Router, UnknownPathHasNoAllowedMethods) {
    auto router = make_router();
    auto match = router.match(Verb::get, "/v1/nothing");
    EXPECT_EQ(match.target, nullptr);
    EXPECT_TRUE(match.allowed.empty());
    EXPECT_EQ(router.match(Verb::get, "/v1/products/").target, nullptr);
}

TEST(Router, WrongMethodListsAllowed) {
    auto router = make_router();
    auto match = router.match(Verb::delete_, "/v1/products");
    EXPECT_EQ(match.target, nullptr);
    ASSERT_EQ(match.allowed.size(), 2u);
    EXPECT_EQ(match.allowed[0], Verb::get);
    EXPECT_EQ(match.allowed[1], Verb::head);
    auto post_only = router.match(Verb::get, "/v1/cart/items");
    ASSERT_EQ(post_only.allowed.size(), 1u);
    EXPECT_EQ(post_only.allowed[0], Verb::post);
}

TEST(Router, HeadMatchesGet) {
    auto router = make_router();
    auto match = router.match(Verb::head, "/v1/products");
    ASSERT_NE(match.target, nullptr);
    EXPECT_EQ(*match.target, "list");
}

TEST(Router, RestParameterCapturesSegments) {
    auto router = make_router();
    auto match = router.match(Verb::get, "/media/products/colar-1.svg");
    ASSERT_NE(match.target, nullptr);
    EXPECT_EQ(match.params.get("key"), "products/colar-1.svg");
    EXPECT_EQ(router.match(Verb::get, "/media").target, nullptr);
}
