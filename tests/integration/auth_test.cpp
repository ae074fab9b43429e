// Customer accounts over HTTP: registration, login, tokens, sessions and the profile.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18085;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::string database_url;

class AuthEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        auto env = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_auth");
        env["DATABASE_URL"] = database_url;
        env["BIJOU_HTTP_CORS_ALLOWED_ORIGINS"] = "https://loja.example";
        // Every request here comes from 127.0.0.1, so the per-IP budgets are lifted;
        // rate_limit_test.cpp covers them.
        env["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        env["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env);
    }
    void TearDown() override { server.reset(); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new AuthEnvironment);

bijou::testing::Response post(const std::string& target, const json::object& body,
                              bijou::testing::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, http::verb::post, target, headers, json::serialize(body));
}

bijou::testing::Response get_me(const std::string& token) {
    return bijou::testing::get(kPort, "/v1/me", {{"Authorization", "Bearer " + token}});
}

std::string unique_email(const std::string& label) {
    static int counter = 0;
    return label + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "@exemplo.com.br";
}

json::object register_native(const std::string& email, const std::string& password = "brinco de lua cheia") {
    auto response = post("/v1/auth/register", {{"email", email}, {"password", password}, {"name", "Ana Souza"}, {"client", "native"}});
    EXPECT_EQ(response.result_int(), 201) << response.body();
    return json_body(response).as_object();
}

std::string field_of_first_error(const bijou::testing::Response& response) {
    auto body = json_body(response).as_object();
    if (!body.contains("errors")) return "";
    return std::string(body["errors"].as_array()[0].as_object()["field"].as_string());
}

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

}  // namespace

TEST(Register, CreatesAccountAndLogsIn) {
    auto email = unique_email("ana");
    auto body = register_native(email);
    auto& user = body["user"].as_object();
    EXPECT_EQ(user["email"].as_string(), email);
    EXPECT_EQ(user["name"].as_string(), "Ana Souza");
    EXPECT_FALSE(user["email_verified"].as_bool());
    EXPECT_EQ(body["token_type"].as_string(), "Bearer");
    EXPECT_EQ(body["expires_in"].as_int64(), 900);
    EXPECT_TRUE(body["refresh_token"].is_string());

    auto me = get_me(std::string(body["access_token"].as_string()));
    ASSERT_EQ(me.result_int(), 200) << me.body();
    EXPECT_EQ(json_body(me).as_object()["email"].as_string(), email);

    // Only an Argon2id hash is stored.
    auto stored = query("SELECT password_hash FROM app_user WHERE email = '" + email + "'");
    EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << stored;
}

TEST(Register, DuplicateEmailIgnoringCaseIs409) {
    auto email = unique_email("bia");
    register_native(email);
    auto upper = email;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto again = post("/v1/auth/register", {{"email", upper}, {"password", "outra senha boa"}, {"name", "Bia"}});
    EXPECT_EQ(again.result_int(), 409);
    EXPECT_EQ(json_body(again).as_object()["code"].as_string(), "account_exists");
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email + "'"), "1");
}

TEST(Register, ValidatesEveryField) {
    auto response = post("/v1/auth/register", {{"email", "sem-arroba"}, {"password", "123456"}, {"name", ""},
                                               {"cpf", "529.982.247-24"}, {"phone", "11 9999"}, {"role", "owner"}});
    ASSERT_EQ(response.result_int(), 422) << response.body();
    auto body = json_body(response).as_object();
    EXPECT_EQ(body["code"].as_string(), "validation_failed");
    std::set<std::string> fields;
    for (auto& error : body["errors"].as_array()) fields.emplace(error.as_object()["field"].as_string());
    EXPECT_EQ(fields, (std::set<std::string>{"email", "password", "name", "cpf", "phone", "role"}));
}

TEST(Register, RejectsCommonPasswordAndWrongTypes) {
    auto long_password = post("/v1/auth/register", {{"email", unique_email("l")}, {"password", std::string(1100, 'x')}, {"name", "L"}});
    EXPECT_EQ(long_password.result_int(), 422);
    EXPECT_EQ(json_body(long_password).as_object()["errors"].as_array()[0].as_object()["message"].as_string(),
              "Deve ter no máximo 128 caracteres.");

    auto common = post("/v1/auth/register", {{"email", unique_email("c")}, {"password", "Senha123"}, {"name", "C"}});
    EXPECT_EQ(common.result_int(), 422);
    EXPECT_EQ(field_of_first_error(common), "password");
    EXPECT_EQ(json_body(common).as_object()["errors"].as_array()[0].as_object()["code"].as_string(), "too_common");

    auto typed = post("/v1/auth/register", {{"email", 42}, {"password", "brinco de lua cheia"}, {"name", "D"}});
    EXPECT_EQ(typed.result_int(), 422);
    EXPECT_EQ(field_of_first_error(typed), "email");

    auto not_json = bijou::testing::request(kPort, http::verb::post, "/v1/auth/register",
                                            {{"Content-Type", "application/json"}}, "{\"email\":");
    EXPECT_EQ(not_json.result_int(), 400);
    auto wrong_type = bijou::testing::request(kPort, http::verb::post, "/v1/auth/register",
                                              {{"Content-Type", "text/plain"}}, "email=x");
    EXPECT_EQ(wrong_type.result_int(), 415);
}

TEST(Register, RejectsControlCharacters) {
    auto response = post("/v1/auth/register", {{"email", unique_email("nul") + std::string("\0x", 2)},
                                               {"password", "brinco de lua cheia"}, {"name", "Nome\nQuebrado"}});
    ASSERT_EQ(response.result_int(), 422) << response.body();
    auto body = json_body(response).as_object();
    EXPECT_EQ(body["errors"].as_array().size(), 2u);
    EXPECT_EQ(body["errors"].as_array()[0].as_object()["code"].as_string(), "invalid_characters");
}

TEST(Register, StoresInjectionShapedTextVerbatim) {
    std::string name = "Robert'); DROP TABLE app_user; -- <script>alert(1)</script>";
    auto response = post("/v1/auth/register", {{"email", unique_email("bobby")}, {"password", "brinco de lua cheia"},
                                               {"name", name}, {"client", "native"}});
    ASSERT_EQ(response.result_int(), 201) << response.body();
    EXPECT_EQ(json_body(response).as_object()["user"].as_object()["name"].as_string(), name);
    EXPECT_NE(query("SELECT count(*) FROM app_user"), "0");
}

TEST(Login, WrongPasswordAndUnknownEmailLookAlike) {
    auto email = unique_email("carla");
    register_native(email);
    auto wrong = post("/v1/auth/login", {{"email", email}, {"password", "senha errada demais"}});
    auto unknown = post("/v1/auth/login", {{"email", unique_email("ninguem")}, {"password", "senha errada demais"}});
    EXPECT_EQ(wrong.result_int(), 401);
    EXPECT_EQ(unknown.result_int(), 401);
    auto wrong_body = json_body(wrong).as_object();
    auto unknown_body = json_body(unknown).as_object();
    EXPECT_EQ(wrong_body["code"].as_string(), "invalid_credentials");
    EXPECT_EQ(unknown_body["code"].as_string(), "invalid_credentials");
    EXPECT_EQ(wrong_body["detail"], unknown_body["detail"]);
    EXPECT_EQ(wrong[http::field::www_authenticate], "Bearer realm=\"bijou\"");
}

TEST(Login, EmailIsCaseInsensitive) {
    auto email = unique_email("dora");
    register_native(email);
    std::string upper = email;
    upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
    auto response = post("/v1/auth/login", {{"email", upper}, {"password", "brinco de lua cheia"}, {"client", "native"}});
    EXPECT_EQ(response.result_int(), 200) << response.body();
}

TEST(Login, RehashesOldParameters) {
    auto email = unique_email("eva");
    register_native(email);
    // The Argon2 reference hash of "password" at m=65536: valid, but not the current cost.
    query("UPDATE app_user SET password_hash = "
          "'$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc' "
          "WHERE email = '" + email + "'");
    auto response = post("/v1/auth/login", {{"email", email}, {"password", "password"}, {"client", "native"}});
    ASSERT_EQ(response.result_int(), 200) << response.body();
    EXPECT_TRUE(query("SELECT password_hash FROM app_user WHERE email = '" + email + "'").starts_with("$argon2id$v=19$m=19456"));
}

TEST(Tokens, RefreshRotatesAndReuseRevokesFamily) {
    auto body = register_native(unique_email("fabi"));
    std::string first(body["refresh_token"].as_string());

    auto refreshed = post("/v1/auth/refresh", {{"refresh_token", first}});
    ASSERT_EQ(refreshed.result_int(), 200) << refreshed.body();
    auto second = std::string(json_body(refreshed).as_object()["refresh_token"].as_string());
    auto access = std::string(json_body(refreshed).as_object()["access_token"].as_string());
    EXPECT_NE(second, first);
    EXPECT_EQ(get_me(access).result_int(), 200);

    // Replaying the first token marks theft: the whole family dies, the newest token too.
    auto replay = post("/v1/auth/refresh", {{"refresh_token", first}});
    EXPECT_EQ(replay.result_int(), 401);
    EXPECT_EQ(json_body(replay).as_object()["code"].as_string(), "invalid_refresh_token");
    EXPECT_EQ(post("/v1/auth/refresh", {{"refresh_token", second}}).result_int(), 401);
    EXPECT_EQ(get_me(access).result_int(), 401);
}

TEST(Tokens, LogoutRevokesAccessTokenAtOnce) {
    auto body = register_native(unique_email("gabi"));
    std::string access(body["access_token"].as_string());
    ASSERT_EQ(get_me(access).result_int(), 200);
    auto logout = bijou::testing::request(kPort, http::verb::post, "/v1/auth/logout", {{"Authorization", "Bearer " + access}});
    EXPECT_EQ(logout.result_int(), 204);
    auto after = get_me(access);
    EXPECT_EQ(after.result_int(), 401);
    EXPECT_NE(after[http::field::www_authenticate].find("Bearer"), std::string::npos);
    EXPECT_EQ(post("/v1/auth/refresh", {{"refresh_token", body["refresh_token"]}}).result_int(), 401);
}

TEST(Tokens, LogoutAllEndsEverySession) {
    auto email = unique_email("helo");
    auto first = register_native(email);
    auto second = json_body(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}, {"client", "native"}})).as_object();
    auto response = bijou::testing::request(kPort, http::verb::post, "/v1/auth/logout-all",
                                            {{"Authorization", "Bearer " + std::string(second["access_token"].as_string())}});
    EXPECT_EQ(response.result_int(), 204);
    EXPECT_EQ(get_me(std::string(first["access_token"].as_string())).result_int(), 401);
    EXPECT_EQ(get_me(std::string(second["access_token"].as_string())).result_int(), 401);
}

TEST(Tokens, LockedAccountLosesSessionsAtOnce) {
    auto email = unique_email("nina");
    auto body = register_native(email);
    std::string access(body["access_token"].as_string());
    ASSERT_EQ(get_me(access).result_int(), 200);
    query("UPDATE app_user SET status = 'locked' WHERE email = '" + email + "'");
    EXPECT_EQ(get_me(access).result_int(), 401);
    EXPECT_EQ(post("/v1/auth/refresh", {{"refresh_token", body["refresh_token"]}}).result_int(), 401);
}

TEST(Tokens, ForgedAndMalformedTokensRejected) {
    auto body = register_native(unique_email("iris"));
    std::string access(body["access_token"].as_string());
    auto tampered = access;
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    for (const auto& token : {tampered, std::string("abc"), std::string(""),
                              std::string("eyJhbGciOiJub25lIn0.eyJpc3MiOiJiaWpvdSJ9.")}) {
        EXPECT_EQ(get_me(token).result_int(), 401) << token;
    }
    auto anonymous = bijou::testing::get(kPort, "/v1/me");
    EXPECT_EQ(anonymous.result_int(), 401);
    EXPECT_EQ(anonymous[http::field::www_authenticate], "Bearer realm=\"bijou\"");
    EXPECT_EQ(get_me(tampered)[http::field::www_authenticate], "Bearer realm=\"bijou\", error=\"invalid_token\"");
}

TEST(Browser, CookieRefreshNeedsOriginAndCsrf) {
    auto response = post("/v1/auth/register", {{"email", unique_email("julia")}, {"password", "brinco de lua cheia"}, {"name", "Júlia"}});
    ASSERT_EQ(response.result_int(), 201);
    auto body = json_body(response).as_object();
    EXPECT_FALSE(body.contains("refresh_token"));
    std::string csrf(body["csrf_token"].as_string());

    std::string refresh_cookie;
    for (auto& header : response.base()) {
        if (header.name() != http::field::set_cookie) continue;
        std::string value(header.value());
        if (value.starts_with("bijou_refresh=")) {
            EXPECT_NE(value.find("HttpOnly"), std::string::npos);
            EXPECT_NE(value.find("SameSite=Strict"), std::string::npos);
            EXPECT_NE(value.find("Path=/v1/auth"), std::string::npos);
            EXPECT_NE(value.find("Secure"), std::string::npos);
            refresh_cookie = value.substr(0, value.find(';'));
        }
    }
    ASSERT_FALSE(refresh_cookie.empty());
    std::string cookies = refresh_cookie + "; bijou_csrf=" + csrf;

    auto no_origin = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                             {{"Cookie", cookies}, {"X-CSRF-Token", csrf}});
    EXPECT_EQ(no_origin.result_int(), 403);
    auto foreign = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                           {{"Cookie", cookies}, {"X-CSRF-Token", csrf}, {"Origin", "https://intruso.example"}});
    EXPECT_EQ(foreign.result_int(), 403);
    auto no_csrf = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                           {{"Cookie", cookies}, {"Origin", "https://loja.example"}});
    EXPECT_EQ(no_csrf.result_int(), 403);
    EXPECT_EQ(json_body(no_csrf).as_object()["code"].as_string(), "csrf_rejected");

    auto ok = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                      {{"Cookie", cookies}, {"X-CSRF-Token", csrf}, {"Origin", "https://loja.example"}});
    EXPECT_EQ(ok.result_int(), 200) << ok.body();
}

TEST(Me, PatchRejectsMassAssignment) {
    auto body = register_native(unique_email("kelly"));
    std::string access(body["access_token"].as_string());
    bijou::testing::Headers headers{{"Authorization", "Bearer " + access}, {"Content-Type", "application/json"}};
    for (const char* field : {"role", "email_verified", "id", "email"}) {
        json::object change{{"name", "Kelly"}, {field, field == std::string("email_verified") ? json::value(true) : json::value("x")}};
        auto response = bijou::testing::request(kPort, http::verb::patch, "/v1/me", headers, json::serialize(change));
        EXPECT_EQ(response.result_int(), 422) << field;
        EXPECT_EQ(field_of_first_error(response), field);
    }
    auto me = json_body(get_me(access)).as_object();
    EXPECT_EQ(me["name"].as_string(), "Ana Souza");
    EXPECT_FALSE(me["email_verified"].as_bool());

    auto ok = bijou::testing::request(kPort, http::verb::patch, "/v1/me", headers,
                                      R"({"name": "Kelly Lima", "phone": "+5511987654321", "locale": "en"})");
    ASSERT_EQ(ok.result_int(), 200) << ok.body();
    auto updated = json_body(ok).as_object();
    EXPECT_EQ(updated["name"].as_string(), "Kelly Lima");
    EXPECT_EQ(updated["phone"].as_string(), "+5511987654321");
    EXPECT_EQ(updated["locale"].as_string(), "en");
}

TEST(Privacy, ExportHasEveryRecord) {
    auto email = unique_email("lara");
    auto body = register_native(email);
    std::string access(body["access_token"].as_string());
    auto response = bijou::testing::get(kPort, "/v1/me/export", {{"Authorization", "Bearer " + access}});
    ASSERT_EQ(response.result_int(), 200) << response.body();
    EXPECT_NE(response[http::field::content_disposition].find("attachment"), std::string::npos);
    auto document = json_body(response).as_object();
    EXPECT_EQ(document["user"].as_object()["email"].as_string(), email);
    EXPECT_EQ(document["sessions"].as_array().size(), 1u);
    for (const char* list : {"addresses", "orders", "favorites", "reviews", "social_logins"}) {
        EXPECT_TRUE(document[list].is_array()) << list;
    }
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/me/export").result_int(), 401);
    auto user_id = std::string(body["user"].as_object()["id"].as_string());
    EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'customer.data_exported' AND actor_user_id = '" + user_id +
                    "' AND request_id IS NOT NULL AND ip IS NOT NULL"),
              "1");
}

TEST(Privacy, DeleteAnonymizesAfterPasswordCheck) {
    auto email = unique_email("mara");
    auto body = register_native(email);
    std::string access(body["access_token"].as_string());
    bijou::testing::Headers headers{{"Authorization", "Bearer " + access}, {"Content-Type", "application/json"}};

    auto wrong = bijou::testing::request(kPort, http::verb::delete_, "/v1/me", headers, R"({"password": "outra coisa"})");
    EXPECT_EQ(wrong.result_int(), 401);
    EXPECT_EQ(get_me(access).result_int(), 200);

    auto deleted = bijou::testing::request(kPort, http::verb::delete_, "/v1/me", headers, R"({"password": "brinco de lua cheia"})");
    EXPECT_EQ(deleted.result_int(), 204) << deleted.body();
    EXPECT_EQ(get_me(access).result_int(), 401);
    EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}}).result_int(), 401);
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email + "'"), "0");
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE status = 'anonymized' AND name = '' AND password_hash IS NULL "
                    "AND email LIKE 'anonimizado-%'"),
              query("SELECT count(*) FROM app_user WHERE status = 'anonymized'"));

    auto user_id = std::string(body["user"].as_object()["id"].as_string());
    EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'customer.anonymized' AND entity_id = '" + user_id + "'"),
              "1");

    // The address is free again.
    register_native(email);
}
