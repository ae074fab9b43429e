// Catalog endpoints over real HTTP against a migrated and seeded database.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <set>

#include "catalog/list_query.hpp"
#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
using bijou::testing::get;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18081;
std::unique_ptr<bijou::testing::ServerProcess> server;

class CatalogEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        auto env = bijou::testing::stack_env();
        env["DATABASE_URL"] = bijou::testing::fresh_database("it_catalog");
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env);
    }
    void TearDown() override { server.reset(); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new CatalogEnvironment);

json::object get_json(const std::string& target, int expected_status = 200) {
    auto response = get(kPort, target);
    EXPECT_EQ(response.result_int(), expected_status) << target << ": " << response.body();
    return json_body(response).as_object();
}

// Follows next_cursor from `first_target` until the last page; returns every item.
std::vector<json::object> walk(const std::string& first_target) {
    std::vector<json::object> items;
    std::string target = first_target;
    for (int page = 0; page < 200; ++page) {
        auto body = get_json(target);
        for (auto& item : body["items"].as_array()) items.push_back(item.as_object());
        if (body["next_cursor"].is_null()) return items;
        auto separator = first_target.find('?') == std::string::npos ? "?" : "&";
        target = first_target + separator + "cursor=" + std::string(body["next_cursor"].as_string());
    }
    ADD_FAILURE() << "pagination did not end";
    return items;
}

std::vector<std::string> ids_of(const std::vector<json::object>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.emplace_back(item.at("id").as_string());
    return ids;
}

std::vector<json::object> all_products() {
    auto body = get_json("/v1/products?limit=100");
    EXPECT_TRUE(body["next_cursor"].is_null()) << "demo catalogue grew past 100 products";
    std::vector<json::object> items;
    for (auto& item : body["items"].as_array()) items.push_back(item.as_object());
    return items;
}

void expect_bad_parameter(const std::string& query, const std::string& parameter) {
    auto response = get(kPort, "/v1/products?" + query);
    ASSERT_EQ(response.result_int(), 400) << query;
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/problem+json") << query;
    auto body = json_body(response).as_object();
    EXPECT_EQ(body["code"].as_string(), "invalid_parameter") << query;
    EXPECT_EQ(body["status"].as_int64(), 400) << query;
    ASSERT_TRUE(body.contains("errors")) << query;
    EXPECT_EQ(body["errors"].as_array().at(0).as_object()["field"].as_string(), parameter) << query;
    EXPECT_NE(std::string(body["detail"].as_string()).find(parameter), std::string::npos) << query;
}

}  // namespace

TEST(ProductList, DefaultPageShape) {
    auto response = get(kPort, "/v1/products");
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/json");
    EXPECT_FALSE(response[boost::beast::http::field::etag].empty());
    EXPECT_NE(response[boost::beast::http::field::cache_control].find("max-age="), std::string::npos);
    EXPECT_NE(response["Surrogate-Key"].find("products"), std::string::npos);

    auto body = json_body(response).as_object();
    auto& items = body["items"].as_array();
    EXPECT_EQ(items.size(), 24u);
    EXPECT_TRUE(body["next_cursor"].is_string());
    for (auto& value : items) {
        auto& item = value.as_object();
        for (const char* field : {"id", "slug", "name", "category", "price_min", "price_max", "currency", "in_stock", "image"}) {
            EXPECT_TRUE(item.contains(field)) << field;
        }
        EXPECT_EQ(item["currency"].as_string(), "BRL");
        EXPECT_LE(item["price_min"].as_int64(), item["price_max"].as_int64());
        EXPECT_TRUE(item["image"].as_object()["url"].as_string().starts_with("http://127.0.0.1:18081/media/"));
    }
}

TEST(ProductList, DemoCatalogueSize) {
    auto products = all_products();
    EXPECT_GE(products.size(), 60u);
    std::set<std::string> categories;
    for (auto& item : products) categories.emplace(item["category"].as_string());
    EXPECT_EQ(categories, (std::set<std::string>{"anel", "brinco", "colar", "conjunto", "pulseira", "tornozeleira"}));
}

TEST(ProductList, WalkEverySortWithoutGapsOrDuplicates) {
    auto everything = ids_of(all_products());
    std::set<std::string> expected(everything.begin(), everything.end());
    for (const char* sort : {"newest", "price_asc", "price_desc", "name"}) {
        auto full = ids_of(walk(std::string("/v1/products?limit=100&sort=") + sort));
        auto walked = ids_of(walk(std::string("/v1/products?limit=7&sort=") + sort));
        std::set<std::string> unique(walked.begin(), walked.end());
        EXPECT_EQ(unique.size(), walked.size()) << sort << ": duplicates";
        EXPECT_EQ(unique, expected) << sort << ": gaps";
        EXPECT_EQ(walked, full) << sort << ": page order differs from one big page";
    }
}

TEST(ProductList, PriceSortsAreOrdered) {
    auto ascending = walk("/v1/products?sort=price_asc&limit=10");
    for (std::size_t i = 1; i < ascending.size(); ++i) {
        EXPECT_LE(ascending[i - 1]["price_min"].as_int64(), ascending[i]["price_min"].as_int64());
    }
    auto descending = walk("/v1/products?sort=price_desc&limit=10");
    for (std::size_t i = 1; i < descending.size(); ++i) {
        EXPECT_GE(descending[i - 1]["price_min"].as_int64(), descending[i]["price_min"].as_int64());
    }
}

TEST(ProductList, NewestSortFollowsCreationTime) {
    auto items = walk("/v1/products?sort=newest&limit=30");
    std::string previous = "9999";
    for (auto& item : items) {
        auto detail = get_json("/v1/products/" + std::string(item["slug"].as_string()));
        std::string created(detail["created_at"].as_string());
        EXPECT_LE(created, previous) << item["slug"];
        previous = created;
    }
}

TEST(ProductList, NameSortIsAlphabeticalIgnoringCase) {
    auto items = walk("/v1/products?sort=name&limit=20");
    ASSERT_FALSE(items.empty());
    // The demo names start with plain capital letters, so their first letters must not
    // go backwards in any collation.
    for (std::size_t i = 1; i < items.size(); ++i) {
        EXPECT_LE(items[i - 1]["name"].as_string()[0], items[i]["name"].as_string()[0]);
    }
}

TEST(ProductList, CategoryFilter) {
    auto all = all_products();
    for (const char* category : {"colar", "brinco", "pulseira", "anel", "tornozeleira", "conjunto"}) {
        auto filtered = walk(std::string("/v1/products?limit=100&category=") + category);
        auto expected = std::count_if(all.begin(), all.end(), [&](auto& p) { return p["category"].as_string() == category; });
        EXPECT_EQ(static_cast<long>(filtered.size()), expected) << category;
        EXPECT_GT(filtered.size(), 0u) << category;
        for (auto& item : filtered) EXPECT_EQ(item["category"].as_string(), category);
    }
}

TEST(ProductList, MaterialFilter) {
    auto all = all_products();
    for (const char* material : {"banhado_ouro_18k", "banhado_ouro_rose", "prata_925", "banhado_rodio", "aco_inoxidavel"}) {
        auto filtered = ids_of(walk(std::string("/v1/products?limit=100&material=") + material));
        std::vector<std::string> expected;
        for (auto& product : all) {
            auto& materials = product["materials"].as_array();
            if (std::find(materials.begin(), materials.end(), json::value(material)) != materials.end()) {
                expected.emplace_back(product["id"].as_string());
            }
        }
        EXPECT_EQ(filtered, expected) << material;
        EXPECT_FALSE(filtered.empty()) << material;
    }
}

TEST(ProductList, PriceRangeOverlap) {
    auto all = all_products();
    struct Range { std::int64_t min, max; };
    for (auto range : {Range{0, 5000}, Range{10000, 15000}, Range{14990, 14990}, Range{30000, 99999999}}) {
        auto target = "/v1/products?limit=100&min_price=" + std::to_string(range.min) + "&max_price=" + std::to_string(range.max);
        auto filtered = ids_of(walk(target));
        std::vector<std::string> expected;
        for (auto& product : all) {
            if (product["price_max"].as_int64() >= range.min && product["price_min"].as_int64() <= range.max) {
                expected.emplace_back(product["id"].as_string());
            }
        }
        EXPECT_EQ(filtered, expected) << target;
    }
    auto only_min = walk("/v1/products?limit=100&min_price=20000");
    for (auto& item : only_min) EXPECT_GE(item["price_max"].as_int64(), 20000);
}

TEST(ProductList, InStockFilterPartitions) {
    auto all = all_products();
    auto in_stock = walk("/v1/products?limit=100&in_stock=true");
    auto sold_out = walk("/v1/products?limit=100&in_stock=false");
    EXPECT_EQ(in_stock.size() + sold_out.size(), all.size());
    EXPECT_GE(sold_out.size(), 1u);
    for (auto& item : in_stock) EXPECT_TRUE(item["in_stock"].as_bool());
    for (auto& item : sold_out) EXPECT_FALSE(item["in_stock"].as_bool());
}

TEST(ProductList, CollectionFilter) {
    auto collections = get_json("/v1/collections")["items"].as_array();
    ASSERT_FALSE(collections.empty());
    auto& first = collections[0].as_object();
    std::string slug(first["slug"].as_string());
    auto filtered = walk("/v1/products?limit=5&collection=" + slug);
    EXPECT_EQ(static_cast<std::int64_t>(filtered.size()), first["product_count"].as_int64());
    for (auto& item : filtered) {
        auto detail = get_json("/v1/products/" + std::string(item["slug"].as_string()));
        bool member = false;
        for (auto& collection : detail["collections"].as_array()) {
            member = member || collection.as_object()["slug"].as_string() == slug;
        }
        EXPECT_TRUE(member) << item["slug"];
    }
    EXPECT_TRUE(get_json("/v1/products?collection=nao-existe")["items"].as_array().empty());
}

TEST(ProductList, CombinedFilters) {
    auto items = walk("/v1/products?limit=3&category=colar&in_stock=true&sort=price_asc&max_price=20000");
    for (auto& item : items) {
        EXPECT_EQ(item["category"].as_string(), "colar");
        EXPECT_TRUE(item["in_stock"].as_bool());
        EXPECT_LE(item["price_min"].as_int64(), 20000);
    }
}

TEST(ProductList, BadParametersNameTheParameter) {
    expect_bad_parameter("sort=cheapest", "sort");
    expect_bad_parameter("limit=0", "limit");
    expect_bad_parameter("limit=1000", "limit");
    expect_bad_parameter("limit=dez", "limit");
    expect_bad_parameter("min_price=-100", "min_price");
    expect_bad_parameter("max_price=abc", "max_price");
    expect_bad_parameter("min_price=1.5", "min_price");
    expect_bad_parameter("cursor=not-a-cursor", "cursor");
    expect_bad_parameter("cursor=", "cursor");
    expect_bad_parameter("category=relogio", "category");
    expect_bad_parameter("material=ouro", "material");
    expect_bad_parameter("in_stock=talvez", "in_stock");
    expect_bad_parameter("sort=name&sort=newest", "sort");

    // Cursors edited by hand: a creation time past year 9999 and a name that is not UTF-8.
    auto id = bijou::Uuid::v7();
    expect_bad_parameter("cursor=" + bijou::catalog::encode_cursor({bijou::catalog::Sort::newest, "9223372036854775807", id}),
                         "cursor");
    expect_bad_parameter("sort=name&cursor=" + bijou::catalog::encode_cursor({bijou::catalog::Sort::name, "\xff\xfe", id}),
                         "cursor");

    auto page = get_json("/v1/products?sort=price_asc&limit=2");
    auto cursor = std::string(page["next_cursor"].as_string());
    expect_bad_parameter("sort=name&cursor=" + cursor, "cursor");
}

TEST(ProductList, ErrorsInEnglishOnRequest) {
    auto response = get(kPort, "/v1/products?limit=0", {{"Accept-Language", "en-US,en;q=0.9"}});
    ASSERT_EQ(response.result_int(), 400);
    auto body = json_body(response).as_object();
    EXPECT_EQ(body["title"].as_string(), "Invalid parameter");
    EXPECT_EQ(body["errors"].as_array()[0].as_object()["message"].as_string(), "Must be an integer from 1 to 100.");
    EXPECT_EQ(response[boost::beast::http::field::content_language], "en");
}

TEST(ProductDetail, HasVariantsImagesCollections) {
    auto all = all_products();
    for (auto& summary : all) {
        auto product = get_json("/v1/products/" + std::string(summary["slug"].as_string()));
        EXPECT_EQ(product["id"], summary["id"]);
        EXPECT_TRUE(product["accepts_pendant"].is_bool());
        auto& variants = product["variants"].as_array();
        EXPECT_GE(variants.size(), 2u);
        EXPECT_LE(variants.size(), 4u);
        for (auto& value : variants) {
            auto& variant = value.as_object();
            for (const char* field : {"id", "sku", "name", "price", "currency", "stock_status"}) {
                EXPECT_TRUE(variant.contains(field)) << field;
            }
            std::string status(variant["stock_status"].as_string());
            EXPECT_TRUE(status == "in_stock" || status == "low_stock" || status == "out_of_stock") << status;
            EXPECT_GE(variant["price"].as_int64(), product["price_min"].as_int64());
        }
        EXPECT_GE(product["images"].as_array().size(), 1u);
        EXPECT_TRUE(product["collections"].is_array());
    }
}

TEST(ProductDetail, StockStatusesAppearInDemoData) {
    std::set<std::string> seen;
    for (auto& summary : all_products()) {
        auto product = get_json("/v1/products/" + std::string(summary["slug"].as_string()));
        for (auto& variant : product["variants"].as_array()) seen.emplace(variant.as_object()["stock_status"].as_string());
    }
    EXPECT_EQ(seen, (std::set<std::string>{"in_stock", "low_stock", "out_of_stock"}));
}

TEST(ProductDetail, UnknownSlugIs404) {
    for (const char* slug : {"nao-existe", "UPPER", "x%27%20OR%201%3D1"}) {
        auto response = get(kPort, std::string("/v1/products/") + slug);
        EXPECT_EQ(response.result_int(), 404) << slug;
        EXPECT_EQ(json_body(response).as_object()["code"].as_string(), "product_not_found") << slug;
    }
}

TEST(PendantOptions, ListedForPendantProducts) {
    int with_pendants = 0;
    for (auto& summary : all_products()) {
        std::string slug(summary["slug"].as_string());
        auto options = get_json("/v1/products/" + slug + "/pendant-options")["items"].as_array();
        if (!summary["accepts_pendant"].as_bool()) {
            EXPECT_TRUE(options.empty()) << slug;
            continue;
        }
        ++with_pendants;
        EXPECT_FALSE(options.empty()) << slug;
        for (auto& value : options) {
            auto& option = value.as_object();
            for (const char* field : {"id", "name", "kind", "price_delta", "currency", "stock_status", "image"}) {
                EXPECT_TRUE(option.contains(field)) << field;
            }
            EXPECT_GE(option["price_delta"].as_int64(), 0);
        }
    }
    EXPECT_GE(with_pendants, 1);
    EXPECT_EQ(get(kPort, "/v1/products/nao-existe/pendant-options").result_int(), 404);
}

TEST(Collections, ListAndDetail) {
    auto collections = get_json("/v1/collections")["items"].as_array();
    EXPECT_GE(collections.size(), 8u);
    for (auto& value : collections) {
        auto& collection = value.as_object();
        auto detail = get_json("/v1/collections/" + std::string(collection["slug"].as_string()));
        EXPECT_EQ(detail["id"], collection["id"]);
        EXPECT_EQ(detail["name"], collection["name"]);
        EXPECT_GT(detail["product_count"].as_int64(), 0);
    }
    auto missing = get(kPort, "/v1/collections/nao-existe");
    EXPECT_EQ(missing.result_int(), 404);
    EXPECT_EQ(json_body(missing).as_object()["code"].as_string(), "collection_not_found");
}

TEST(Caching, NotModifiedOnMatchingEtag) {
    auto slug = std::string(all_products().front()["slug"].as_string());
    auto collection = std::string(get_json("/v1/collections")["items"].as_array()[0].as_object()["slug"].as_string());
    for (const auto& target : {std::string("/v1/products?limit=5"), "/v1/products/" + slug,
                               "/v1/products/" + slug + "/pendant-options", std::string("/v1/collections"),
                               "/v1/collections/" + collection}) {
        auto first = get(kPort, target);
        ASSERT_EQ(first.result_int(), 200) << target;
        std::string etag(first[boost::beast::http::field::etag]);
        ASSERT_FALSE(etag.empty()) << target;
        EXPECT_FALSE(first[boost::beast::http::field::cache_control].empty()) << target;

        auto cached = get(kPort, target, {{"If-None-Match", etag}});
        EXPECT_EQ(cached.result_int(), 304) << target;
        EXPECT_TRUE(cached.body().empty()) << target;
        EXPECT_EQ(cached[boost::beast::http::field::etag], etag) << target;

        auto stale = get(kPort, target, {{"If-None-Match", "\"outra-versao\""}});
        EXPECT_EQ(stale.result_int(), 200) << target;
    }
}

TEST(Routing, UnknownPathAndWrongMethod) {
    auto missing = get(kPort, "/v1/nada");
    EXPECT_EQ(missing.result_int(), 404);
    EXPECT_EQ(json_body(missing).as_object()["code"].as_string(), "route_not_found");

    auto wrong = bijou::testing::request(kPort, boost::beast::http::verb::delete_, "/v1/products");
    EXPECT_EQ(wrong.result_int(), 405);
    EXPECT_EQ(wrong[boost::beast::http::field::allow], "GET, HEAD");
    EXPECT_EQ(json_body(wrong).as_object()["code"].as_string(), "method_not_allowed");
}
