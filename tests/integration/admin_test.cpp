// Admin identity over HTTP: TOTP sign-in, audiences, role permissions and the audit log.

#include <gtest/gtest.h>
#include <liboath/oath.h>

#include <boost/json.hpp>
#include <memory>

#include "admin/totp.hpp"
#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
using bijou::testing::json_body;
using bijou::testing::required_env;
using bijou::testing::run_command;

namespace {

constexpr std::uint16_t kPort = 18089;
constexpr const char* kPassword = "anel de prata com zircônia";
std::unique_ptr<bijou::testing::ServerProcess> server;
std::string database_url;

std::map<std::string, std::string> env() {
    auto values = bijou::testing::stack_env();
    values["DATABASE_URL"] = database_url;
    // Every request comes from 127.0.0.1; rate_limit_test.cpp covers the budgets.
    values["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
    values["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
    return values;
}

class AdminEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        database_url = bijou::testing::fresh_database("it_admin");
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env());
    }
    void TearDown() override { server.reset(); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new AdminEnvironment);

// Creates an admin with the CLI and returns its raw TOTP secret, read back from the URI.
std::string create_admin(const std::string& email, const std::string& role) {
    auto values = env();
    values["BIJOU_ADMIN_PASSWORD"] = kPassword;
    std::string output;
    EXPECT_EQ(run_command({required_env("BIJOU_BINARY"), "admin", "create", email, "Dona Rosa", role}, values, &output), 0)
        << output;
    auto at = output.find("secret=");
    EXPECT_NE(at, std::string::npos) << output;
    auto base32 = output.substr(at + 7, output.find('&', at) - at - 7);
    char* secret = nullptr;
    std::size_t length = 0;
    oath_init();
    EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &secret, &length), OATH_OK);
    std::string raw(secret, length);
    free(secret);
    return raw;
}

bijou::testing::Response login(const std::string& email, const std::string& password, const std::string& code) {
    json::object body{{"email", email}, {"password", password}, {"totp", code}};
    return bijou::testing::request(kPort, http::verb::post, "/v1/admin/auth/login", {{"Content-Type", "application/json"}},
                                   json::serialize(body));
}

std::string login_token(const std::string& email, const std::string& secret) {
    // Each code works once, so wait for a fresh step if this one was just used.
    auto code = bijou::admin::totp_code(secret, std::chrono::system_clock::now());
    auto response = login(email, kPassword, code);
    if (response.result_int() == 401) {
        code = bijou::admin::totp_code(secret, std::chrono::system_clock::now() + std::chrono::seconds(30));
        response = login(email, kPassword, code);
    }
    EXPECT_EQ(response.result_int(), 200) << response.body();
    return std::string(json_body(response).as_object()["access_token"].as_string());
}

bijou::testing::Response get(const std::string& target, const std::string& token) {
    return bijou::testing::get(kPort, target, {{"Authorization", "Bearer " + token}});
}

}  // namespace

TEST(AdminLogin, PasswordAndTotpRequired) {
    auto secret = create_admin("dona@loja.example", "owner");
    auto code = bijou::admin::totp_code(secret, std::chrono::system_clock::now());

    EXPECT_EQ(login("dona@loja.example", "senha errada demais", code).result_int(), 401);
    EXPECT_EQ(login("dona@loja.example", kPassword, "000000").result_int(), 401);
    auto missing = bijou::testing::request(kPort, http::verb::post, "/v1/admin/auth/login",
                                           {{"Content-Type", "application/json"}},
                                           R"({"email":"dona@loja.example","password":"x"})");
    EXPECT_EQ(missing.result_int(), 422);

    auto ok = login("DONA@loja.example", kPassword, code);
    ASSERT_EQ(ok.result_int(), 200) << ok.body();
    auto body = json_body(ok).as_object();
    EXPECT_EQ(body["admin"].as_object()["role"].as_string(), "owner");
    // The same code cannot be used twice.
    EXPECT_EQ(login("dona@loja.example", kPassword, code).result_int(), 401);

    auto me = get("/v1/admin/me", std::string(body["access_token"].as_string()));
    ASSERT_EQ(me.result_int(), 200) << me.body();
    EXPECT_EQ(json_body(me).as_object()["role"].as_string(), "owner");
}

TEST(AdminLogin, AudiencesDoNotMix) {
    auto secret = create_admin("gerente@loja.example", "manager");
    auto admin_token = login_token("gerente@loja.example", secret);
    EXPECT_EQ(get("/v1/me", admin_token).result_int(), 401);

    auto customer = bijou::testing::request(
        kPort, http::verb::post, "/v1/auth/register", {{"Content-Type", "application/json"}},
        R"({"email":"cliente@exemplo.com.br","password":"brinco de lua cheia","name":"Cliente","client":"native"})");
    ASSERT_EQ(customer.result_int(), 201) << customer.body();
    auto customer_token = std::string(json_body(customer).as_object()["access_token"].as_string());
    EXPECT_EQ(get("/v1/admin/me", customer_token).result_int(), 401);
    EXPECT_EQ(get("/v1/admin/audit-log", customer_token).result_int(), 401);
}

TEST(AuditLog, RecordsAndFiltersWithPermission) {
    auto secret = create_admin("auditora@loja.example", "owner");
    auto token = login_token("auditora@loja.example", secret);

    auto all = get("/v1/admin/audit-log?limit=100", token);
    ASSERT_EQ(all.result_int(), 200) << all.body();
    auto all_body = json_body(all);
    auto& all_items = all_body.as_object()["items"].as_array();
    std::set<std::string> actions;
    for (auto& item : all_items) actions.emplace(item.as_object()["action"].as_string());
    EXPECT_TRUE(actions.contains("admin.create"));
    EXPECT_TRUE(actions.contains("admin.login"));

    auto logins = json_body(get("/v1/admin/audit-log?action=admin.login", token));
    for (auto& item : logins.as_object()["items"].as_array()) {
        auto& entry = item.as_object();
        EXPECT_EQ(entry["action"].as_string(), "admin.login");
        EXPECT_EQ(entry["actor_type"].as_string(), "admin");
        EXPECT_FALSE(entry["request_id"].is_null());
        EXPECT_FALSE(entry["ip"].is_null());
    }

    // Walk one entry per page: no duplicates, same entries as the big page.
    std::vector<std::string> walked;
    std::string target = "/v1/admin/audit-log?limit=1";
    for (int page = 0; page < 100; ++page) {
        auto body = json_body(get(target, token)).as_object();
        for (auto& item : body["items"].as_array()) walked.emplace_back(item.as_object()["id"].as_string());
        if (body["next_cursor"].is_null()) break;
        target = "/v1/admin/audit-log?limit=1&cursor=" + std::string(body["next_cursor"].as_string());
    }
    EXPECT_EQ(walked.size(), all_items.size());

    EXPECT_EQ(get("/v1/admin/audit-log?limit=0", token).result_int(), 400);
    EXPECT_EQ(get("/v1/admin/audit-log?cursor=xyz", token).result_int(), 400);
    EXPECT_EQ(get("/v1/admin/audit-log?actor_admin_id=nao-e-uuid", token).result_int(), 400);
}

TEST(AuditLog, SupportRoleIsDenied) {
    auto secret = create_admin("suporte@loja.example", "support");
    auto token = login_token("suporte@loja.example", secret);
    auto response = get("/v1/admin/audit-log", token);
    EXPECT_EQ(response.result_int(), 403);
    EXPECT_EQ(json_body(response).as_object()["code"].as_string(), "permission_denied");
    EXPECT_EQ(get("/v1/admin/me", token).result_int(), 200);
}

TEST(AdminCli, RejectsBadInput) {
    auto values = env();
    values["BIJOU_ADMIN_PASSWORD"] = kPassword;
    std::string output;
    EXPECT_EQ(run_command({required_env("BIJOU_BINARY"), "admin", "create", "x@loja.example", "X", "root"}, values, &output), 2);
    EXPECT_NE(output.find("unknown role"), std::string::npos) << output;
    create_admin("unica@loja.example", "support");
    EXPECT_EQ(run_command({required_env("BIJOU_BINARY"), "admin", "create", "unica@loja.example", "X", "support"}, values,
                          &output),
              1);
    EXPECT_NE(output.find("already exists"), std::string::npos) << output;
    values["BIJOU_ADMIN_PASSWORD"] = "123456";
    EXPECT_EQ(run_command({required_env("BIJOU_BINARY"), "admin", "create", "fraca@loja.example", "X", "owner"}, values,
                          &output),
              1);
}

namespace {

bijou::testing::Response admin_send(http::verb method, const std::string& target, const std::string& token,
                                    const std::string& body = {}) {
    bijou::testing::Headers headers{{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, method, target, headers, body);
}

std::string secret_of(const std::string& uri) {
    auto at = uri.find("secret=");
    auto base32 = uri.substr(at + 7, uri.find('&', at) - at - 7);
    char* secret = nullptr;
    std::size_t length = 0;
    EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &secret, &length), OATH_OK);
    std::string raw(secret, length);
    free(secret);
    return raw;
}

}  // namespace

TEST(AdminSession, RefreshRotatesAndLogoutEnds) {
    auto secret = create_admin("sessao@loja.example", "manager");
    auto code = bijou::admin::totp_code(secret, std::chrono::system_clock::now());
    auto logged = login("sessao@loja.example", kPassword, code);
    ASSERT_EQ(logged.result_int(), 200) << logged.body();
    auto first_refresh = std::string(json_body(logged).as_object()["refresh_token"].as_string());

    auto refresh = [](const std::string& token) {
        return bijou::testing::request(kPort, http::verb::post, "/v1/admin/auth/refresh", {{"Content-Type", "application/json"}},
                                       json::serialize(json::object{{"refresh_token", token}}));
    };
    auto rotated = refresh(first_refresh);
    ASSERT_EQ(rotated.result_int(), 200) << rotated.body();
    auto body = json_body(rotated).as_object();
    auto access = std::string(body["access_token"].as_string());
    EXPECT_EQ(get("/v1/admin/me", access).result_int(), 200);

    // The rotated token used again ends the session.
    EXPECT_EQ(refresh(first_refresh).result_int(), 401);
    EXPECT_EQ(get("/v1/admin/me", access).result_int(), 401);

    auto second = login_token("sessao@loja.example", secret);
    EXPECT_EQ(admin_send(http::verb::post, "/v1/admin/auth/logout", second).result_int(), 204);
    EXPECT_EQ(get("/v1/admin/me", second).result_int(), 401);
}

TEST(AdminLockout, RepeatedFailuresLockTheAdmin) {
    auto secret = create_admin("trancada@loja.example", "support");
    for (int attempt = 0; attempt < 5; ++attempt) {
        EXPECT_EQ(login("trancada@loja.example", "senha errada demais", "123456").result_int(), 401);
    }
    auto code = bijou::admin::totp_code(secret, std::chrono::system_clock::now());
    EXPECT_EQ(login("trancada@loja.example", kPassword, code).result_int(), 401);
}

TEST(AdminDirectory, OwnersManageStaffWithAudit) {
    auto owner_secret = create_admin("dona-da-loja@loja.example", "owner");
    auto owner = login_token("dona-da-loja@loja.example", owner_secret);

    json::object fresh{{"email", "Vendas@Loja.example"}, {"name", "Bia Vendas"}, {"role", "order_operator"},
                       {"password", "colar de miçangas azuis"}};
    auto created = admin_send(http::verb::post, "/v1/admin/admins", owner, json::serialize(fresh));
    ASSERT_EQ(created.result_int(), 201) << created.body();
    auto created_body = json_body(created).as_object();
    auto staff_id = std::string(created_body["admin"].as_object()["id"].as_string());
    auto uri = std::string(created_body["otpauth_uri"].as_string());
    EXPECT_TRUE(uri.starts_with("otpauth://totp/"));
    EXPECT_EQ(admin_send(http::verb::post, "/v1/admin/admins", owner, json::serialize(fresh)).result_int(), 409);
    auto bad_role = fresh;
    bad_role["email"] = "outra@loja.example";
    bad_role["role"] = "root";
    EXPECT_EQ(admin_send(http::verb::post, "/v1/admin/admins", owner, json::serialize(bad_role)).result_int(), 422);

    // The new admin signs in with the enrolled secret.
    auto staff_code = bijou::admin::totp_code(secret_of(uri), std::chrono::system_clock::now());
    auto staff_login = login("vendas@loja.example", "colar de miçangas azuis", staff_code);
    ASSERT_EQ(staff_login.result_int(), 200) << staff_login.body();
    auto staff = std::string(json_body(staff_login).as_object()["access_token"].as_string());
    EXPECT_EQ(get("/v1/admin/admins", staff).result_int(), 403);

    auto promoted = admin_send(http::verb::patch, "/v1/admin/admins/" + staff_id, owner, R"({"role": "manager"})");
    ASSERT_EQ(promoted.result_int(), 200) << promoted.body();
    // A role change ends the admin's sessions at once.
    EXPECT_EQ(get("/v1/admin/me", staff).result_int(), 401);

    auto list = json_body(get("/v1/admin/admins", owner)).as_object();
    bool found = false;
    for (auto& item : list["items"].as_array()) {
        if (item.as_object()["id"].as_string() == staff_id) found = item.as_object()["role"].as_string() == "manager";
    }
    EXPECT_TRUE(found);

    auto reset = admin_send(http::verb::post, "/v1/admin/admins/" + staff_id + "/totp", owner);
    ASSERT_EQ(reset.result_int(), 200) << reset.body();
    EXPECT_NE(std::string(json_body(reset).as_object()["otpauth_uri"].as_string()), uri);
    EXPECT_EQ(admin_send(http::verb::patch, "/v1/admin/admins/" + staff_id, owner, R"({"status": "disabled"})").result_int(),
              200);
    EXPECT_EQ(admin_send(http::verb::patch, "/v1/admin/admins/01900000-0000-7000-8000-000000000000", owner,
                         R"({"status": "disabled"})")
                  .result_int(),
              404);

    auto audit = json_body(get("/v1/admin/audit-log?entity_id=" + staff_id, owner)).as_object();
    std::set<std::string> actions;
    for (auto& item : audit["items"].as_array()) actions.emplace(item.as_object()["action"].as_string());
    EXPECT_TRUE(actions.contains("admin.created"));
    EXPECT_TRUE(actions.contains("admin.updated"));
    EXPECT_TRUE(actions.contains("admin.totp_reset"));
}

TEST(AdminDirectory, KeepsAnActiveOwner) {
    auto secret = create_admin("unica-dona@loja.example", "owner");
    auto owner = login_token("unica-dona@loja.example", secret);
    auto me = json_body(get("/v1/admin/me", owner)).as_object();
    auto own_id = std::string(me["id"].as_string());
    auto self = admin_send(http::verb::patch, "/v1/admin/admins/" + own_id, owner, R"({"role": "support"})");
    EXPECT_EQ(self.result_int(), 409);
    EXPECT_EQ(json_body(self).as_object()["code"].as_string(), "admin_change_refused");
}
