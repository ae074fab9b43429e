// Carts over HTTP: guest carts by X-Cart-Token, customer carts, prices from the catalog,
// pendant and engraving rules, stock limits and the merge of a guest cart at login.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18092;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::string database_url;

class CartEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        auto env = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_cart");
        env["DATABASE_URL"] = database_url;
        env["REDIS_URL"] = "redis://127.0.0.1:" + bijou::testing::required_env("BIJOU_TEST_REDIS_PORT") + "/5";
        env["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        env["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env);
    }
    void TearDown() override { server.reset(); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new CartEnvironment);

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

bijou::testing::Response send(http::verb method, const std::string& target, const std::string& body,
                              bijou::testing::Headers headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, method, target, headers, body);
}

bijou::testing::Response add(const json::object& item, bijou::testing::Headers headers = {}) {
    return send(http::verb::post, "/v1/cart/items", json::serialize(item), std::move(headers));
}

json::object product(const std::string& slug) {
    return json_body(bijou::testing::get(kPort, "/v1/products/" + slug)).as_object();
}

std::string first_variant(const std::string& slug) {
    return std::string(product(slug)["variants"].as_array()[0].as_object()["id"].as_string());
}

json::object pendant(const std::string& slug, std::size_t index) {
    auto options = json_body(bijou::testing::get(kPort, "/v1/products/" + slug + "/pendant-options"));
    auto& list = options.as_object().contains("items") ? options.as_object()["items"].as_array() : options.as_array();
    return list.at(index).as_object();
}

std::string field_error(const bijou::testing::Response& response) {
    auto body = json_body(response).as_object();
    if (!body.contains("errors")) return "";
    auto& error = body["errors"].as_array()[0].as_object();
    return std::string(error["field"].as_string()) + ":" + std::string(error["code"].as_string());
}

std::string register_customer(const std::string& label, bijou::testing::Headers headers = {}) {
    static int counter = 0;
    auto email = label + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "@exemplo.com.br";
    json::object body{{"email", email}, {"password", "brinco de lua cheia"}, {"name", "Bia"}, {"client", "native"}};
    auto response = send(http::verb::post, "/v1/auth/register", json::serialize(body), std::move(headers));
    EXPECT_EQ(response.result_int(), 201) << response.body();
    return std::string(json_body(response).as_object()["access_token"].as_string());
}

void set_stock(const std::string& variant_id, int on_hand) {
    query("UPDATE inventory SET on_hand = " + std::to_string(on_hand) + " WHERE variant_id = '" + variant_id + "'");
}

}  // namespace

TEST(GuestCart, FirstAddReturnsATokenAndCatalogPrices) {
    auto variant = first_variant("colar-coracao-delicado");
    auto charm = pendant("colar-coracao-delicado", 0);
    auto response = add({{"variant_id", variant}, {"quantity", 2}, {"pendant_option_id", charm["id"]}});
    ASSERT_EQ(response.result_int(), 201) << response.body();
    auto token = std::string(response["X-Cart-Token"]);
    ASSERT_EQ(token.size(), 43u);
    auto cart = json_body(response).as_object();
    EXPECT_EQ(cart["cart_token"].as_string(), token);
    auto& line = cart["items"].as_array()[0].as_object();
    auto price = std::stoll(query("SELECT price FROM product_variant WHERE id = '" + variant + "'"));
    auto delta = charm["price_delta"].as_int64();
    EXPECT_EQ(line["unit_price"].as_int64(), price + delta);
    EXPECT_EQ(line["line_total"].as_int64(), 2 * (price + delta));
    EXPECT_EQ(cart["subtotal"].as_int64(), 2 * (price + delta));
    EXPECT_EQ(cart["currency"].as_string(), "BRL");
    EXPECT_EQ(line["pendant_name"].as_string(), charm["name"].as_string());

    auto again = bijou::testing::get(kPort, "/v1/cart", {{"X-Cart-Token", token}});
    ASSERT_EQ(again.result_int(), 200);
    EXPECT_EQ(json_body(again).as_object()["id"], cart["id"]);
    EXPECT_FALSE(again.count("X-Cart-Token"));
}

TEST(GuestCart, UnknownTokensAndNoTokenAreHandled) {
    auto empty = bijou::testing::get(kPort, "/v1/cart");
    ASSERT_EQ(empty.result_int(), 200);
    EXPECT_TRUE(json_body(empty).as_object()["id"].is_null());
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/cart", {{"X-Cart-Token", std::string(43, 'a')}}).result_int(), 404);
    auto malformed = bijou::testing::get(kPort, "/v1/cart", {{"X-Cart-Token", "' OR 1=1 --"}});
    EXPECT_EQ(malformed.result_int(), 404);
    EXPECT_EQ(json_body(malformed).as_object()["code"].as_string(), "cart_not_found");
}

TEST(GuestCart, ClientPricesAndUnknownFieldsAreRejected) {
    auto variant = first_variant("colar-ponto-de-luz");
    auto response = add({{"variant_id", variant}, {"quantity", 1}, {"unit_price", 1}});
    EXPECT_EQ(response.result_int(), 422);
    EXPECT_EQ(field_error(response), "unit_price:unknown_field");
}

TEST(CartItems, SameConfigurationRaisesOneLine) {
    auto variant = first_variant("colar-ponto-de-luz");
    auto first = add({{"variant_id", variant}, {"quantity", 1}});
    auto token = std::string(first["X-Cart-Token"]);
    auto second = add({{"variant_id", variant}, {"quantity", 2}}, {{"X-Cart-Token", token}});
    ASSERT_EQ(second.result_int(), 201);
    auto items = json_body(second).as_object()["items"].as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].as_object()["quantity"].as_int64(), 3);

    auto engraved = add({{"variant_id", variant}, {"quantity", 1}, {"engraving", "Lúcia ♥ 2026"}}, {{"X-Cart-Token", token}});
    ASSERT_EQ(engraved.result_int(), 201) << engraved.body();
    EXPECT_EQ(json_body(engraved).as_object()["items"].as_array().size(), 2u);
}

TEST(CartItems, PendantRulesAreChecked) {
    auto plain = first_variant("colar-ponto-de-luz");
    auto charm = pendant("colar-coracao-delicado", 0);
    auto not_accepted = add({{"variant_id", plain}, {"quantity", 1}, {"pendant_option_id", charm["id"]}});
    EXPECT_EQ(not_accepted.result_int(), 422);
    EXPECT_EQ(field_error(not_accepted), "pendant_option_id:pendant_not_accepted");

    auto heart = first_variant("colar-coracao-delicado");
    auto foreign = query("SELECT id FROM pendant_option WHERE id NOT IN (SELECT pendant_option_id FROM product_pendant_option "
                         "WHERE product_id = (SELECT product_id FROM product_variant WHERE id = '" + heart + "')) LIMIT 1");
    ASSERT_FALSE(foreign.empty());
    auto not_offered = add({{"variant_id", heart}, {"quantity", 1}, {"pendant_option_id", foreign}});
    EXPECT_EQ(not_offered.result_int(), 422);
    EXPECT_EQ(field_error(not_offered), "pendant_option_id:pendant_not_offered");

    auto unknown = add({{"variant_id", "01900000-0000-7000-8000-000000000000"}, {"quantity", 1}});
    EXPECT_EQ(field_error(unknown), "variant_id:unknown_variant");
    auto malformed = add({{"variant_id", "1; DROP TABLE cart"}, {"quantity", 1}});
    EXPECT_EQ(field_error(malformed), "variant_id:invalid_format");
}

TEST(CartItems, QuantityAndEngravingAreValidated) {
    auto variant = first_variant("colar-ponto-de-luz");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 0}})), "quantity:out_of_range");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 21}})), "quantity:out_of_range");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 1.5}})), "quantity:wrong_type");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", "2"}})), "quantity:wrong_type");
    EXPECT_EQ(field_error(add({{"variant_id", variant}})), "quantity:required");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 1}, {"engraving", "<script>"}})),
              "engraving:invalid_engraving");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 1}, {"engraving", " Ana"}})),
              "engraving:invalid_engraving");
    EXPECT_EQ(field_error(add({{"variant_id", variant}, {"quantity", 1}, {"engraving", std::string(31, 'a')}})),
              "engraving:too_long");
    auto emoji = add({{"variant_id", variant}, {"quantity", 1}, {"engraving", "Ana \xF0\x9F\x92\x8E"}});
    EXPECT_EQ(field_error(emoji), "engraving:invalid_engraving");
}

TEST(CartStock, LinesOfOneVariantShareItsStock) {
    auto variant = first_variant("anel-solitario");
    set_stock(variant, 3);
    auto first = add({{"variant_id", variant}, {"quantity", 2}});
    ASSERT_EQ(first.result_int(), 201) << first.body();
    auto token = std::string(first["X-Cart-Token"]);
    auto over = add({{"variant_id", variant}, {"quantity", 2}, {"engraving", "Bia"}}, {{"X-Cart-Token", token}});
    ASSERT_EQ(over.result_int(), 409);
    auto problem = json_body(over).as_object();
    EXPECT_EQ(problem["code"].as_string(), "insufficient_stock");
    EXPECT_NE(std::string(problem["detail"].as_string()).find("1 disponível"), std::string::npos) << problem["detail"];

    auto cart = json_body(bijou::testing::get(kPort, "/v1/cart", {{"X-Cart-Token", token}})).as_object();
    auto line_id = std::string(cart["items"].as_array()[0].as_object()["id"].as_string());
    auto raised = send(http::verb::patch, "/v1/cart/items/" + line_id, R"({"quantity": 4})", {{"X-Cart-Token", token}});
    EXPECT_EQ(raised.result_int(), 409);
    auto fits = send(http::verb::patch, "/v1/cart/items/" + line_id, R"({"quantity": 3})", {{"X-Cart-Token", token}});
    EXPECT_EQ(fits.result_int(), 200);
    EXPECT_EQ(json_body(fits).as_object()["subtotal"].as_int64(),
              3 * std::stoll(query("SELECT price FROM product_variant WHERE id = '" + variant + "'")));
}

TEST(CustomerCart, LoginMergesTheGuestCartCappedByStock) {
    auto variant = first_variant("brinco-argola-lisa-pequena");
    set_stock(variant, 5);
    auto guest = add({{"variant_id", variant}, {"quantity", 4}});
    ASSERT_EQ(guest.result_int(), 201) << guest.body();
    auto token = std::string(guest["X-Cart-Token"]);

    auto access = register_customer("carrinho");
    auto mine = add({{"variant_id", variant}, {"quantity", 3}}, {{"Authorization", "Bearer " + access}});
    ASSERT_EQ(mine.result_int(), 201) << mine.body();
    EXPECT_FALSE(mine.count("X-Cart-Token"));

    // Logging in with the guest token merges: 4 + 3 units, capped at the 5 in stock.
    auto email = query("SELECT email FROM app_user ORDER BY created_at DESC LIMIT 1");
    auto login = send(http::verb::post, "/v1/auth/login",
                      json::serialize(json::object{{"email", email}, {"password", "brinco de lua cheia"}, {"client", "native"}}),
                      {{"X-Cart-Token", token}});
    ASSERT_EQ(login.result_int(), 200);
    auto cart = json_body(bijou::testing::get(kPort, "/v1/cart", {{"Authorization", "Bearer " + access}})).as_object();
    ASSERT_EQ(cart["items"].as_array().size(), 1u);
    EXPECT_EQ(cart["items"].as_array()[0].as_object()["quantity"].as_int64(), 5);
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/cart", {{"X-Cart-Token", token}}).result_int(), 404);
}

TEST(CustomerCart, AnotherCustomersLineIsNotFound) {
    auto variant = first_variant("colar-ponto-de-luz");
    auto owner = register_customer("dona");
    auto added = add({{"variant_id", variant}, {"quantity", 1}}, {{"Authorization", "Bearer " + owner}});
    ASSERT_EQ(added.result_int(), 201);
    auto line_id = std::string(json_body(added).as_object()["items"].as_array()[0].as_object()["id"].as_string());

    auto other = register_customer("outra");
    auto other_headers = bijou::testing::Headers{{"Authorization", "Bearer " + other}};
    EXPECT_EQ(send(http::verb::patch, "/v1/cart/items/" + line_id, R"({"quantity": 2})", other_headers).result_int(), 404);
    EXPECT_EQ(send(http::verb::delete_, "/v1/cart/items/" + line_id, "", other_headers).result_int(), 404);
    EXPECT_EQ(send(http::verb::delete_, "/v1/cart/items/not-a-uuid", "", other_headers).result_int(), 404);
    EXPECT_EQ(send(http::verb::get, "/v1/cart", "", {{"Authorization", "Bearer forged"}}).result_int(), 401);

    auto owner_headers = bijou::testing::Headers{{"Authorization", "Bearer " + owner}};
    auto removed = send(http::verb::delete_, "/v1/cart/items/" + line_id, "", owner_headers);
    ASSERT_EQ(removed.result_int(), 200);
    EXPECT_TRUE(json_body(removed).as_object()["items"].as_array().empty());
    EXPECT_EQ(send(http::verb::delete_, "/v1/cart/items/" + line_id, "", owner_headers).result_int(), 404);
}
