// Social login over HTTP: bijou serve against the OpenID Connect provider of
// tests/tools/oidc-provider.mjs, both on 127.0.0.1, driven the way a browser would be.

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "support/http_client.hpp"
#include "support/oidc_provider.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
using bijou::testing::json_body;
using bijou::testing::Response;

namespace {

constexpr std::uint16_t kPort = 18090;
constexpr std::uint16_t kProviderPort = 18190;
constexpr const char* kStorefront = "https://loja.example/";

std::unique_ptr<bijou::testing::OidcProviderProcess> provider;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::string database_url;

std::string callback_uri(const std::string& name) {
    return "http://127.0.0.1:" + std::to_string(kPort) + "/v1/auth/oauth/" + name + "/callback";
}

class OauthEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
        unsigned char bytes[24];
        randombytes_buf(bytes, sizeof bytes);
        char secret[sizeof bytes * 2 + 1];
        sodium_bin2hex(secret, sizeof secret, bytes, sizeof bytes);
        provider = std::make_unique<bijou::testing::OidcProviderProcess>(
            kProviderPort, std::vector<std::string>{callback_uri("test"), callback_uri("test_es"), callback_uri("test_form")},
            secret);

        auto env = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_oauth");
        env["DATABASE_URL"] = database_url;
        env["BIJOU_HTTP_CORS_ALLOWED_ORIGINS"] = "https://loja.example,https://conta.loja.example";
        // Every request comes from 127.0.0.1, so the per-IP budgets are lifted.
        env["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
        env["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        env["BIJOU_OAUTH_STOREFRONT_URL"] = kStorefront;
        env["BIJOU_OAUTH_PROVIDERS"] = "test,test_es,test_form";
        env["BIJOU_OAUTH_PROVIDERS_TEST_ISSUER"] = provider->issuer();
        env["BIJOU_OAUTH_PROVIDERS_TEST_CLIENT_ID"] = "bijou-rs256";
        env["BIJOU_OAUTH_PROVIDERS_TEST_CLIENT_SECRET"] = secret;
        env["BIJOU_OAUTH_PROVIDERS_TEST_ES_ISSUER"] = provider->issuer();
        env["BIJOU_OAUTH_PROVIDERS_TEST_ES_CLIENT_ID"] = "bijou-es256";
        env["BIJOU_OAUTH_PROVIDERS_TEST_ES_CLIENT_SECRET"] = secret;
        // The same provider and client, responding with response_mode=form_post as Sign in
        // with Apple does.
        env["BIJOU_OAUTH_PROVIDERS_TEST_FORM_ISSUER"] = provider->issuer();
        env["BIJOU_OAUTH_PROVIDERS_TEST_FORM_CLIENT_ID"] = "bijou-rs256";
        env["BIJOU_OAUTH_PROVIDERS_TEST_FORM_CLIENT_SECRET"] = secret;
        env["BIJOU_OAUTH_PROVIDERS_TEST_FORM_RESPONSE_MODE"] = "form_post";
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, env);
    }
    void TearDown() override {
        server.reset();
        provider.reset();
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new OauthEnvironment);

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

std::string unique(const std::string& label) {
    static int counter = 0;
    return label + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

std::string email_of(const std::string& subject) {
    return subject + "@exemplo.com.br";
}

// The value of a query parameter in a URL, still percent-encoded; empty when absent.
std::string query_param(const std::string& url, const std::string& name) {
    for (auto separator : {"?", "&"}) {
        auto start = url.find(separator + name + "=");
        if (start == std::string::npos) continue;
        start += name.size() + 2;
        return url.substr(start, url.find_first_of("&#", start) - start);
    }
    return "";
}

std::string with_param(const std::string& url, const std::string& name, const std::string& value) {
    auto start = url.find("?" + name + "=");
    if (start == std::string::npos) start = url.find("&" + name + "=");
    if (start == std::string::npos) return url + "&" + name + "=" + value;
    start += name.size() + 2;
    auto end = url.find('&', start);
    return url.substr(0, start) + value + (end == std::string::npos ? "" : url.substr(end));
}

// Splits http://127.0.0.1:PORT/path?query into the port and the request target.
std::pair<std::uint16_t, std::string> local_target(const std::string& url) {
    const std::string prefix = "http://127.0.0.1:";
    EXPECT_TRUE(url.starts_with(prefix)) << url;
    auto slash = url.find('/', prefix.size());
    return {static_cast<std::uint16_t>(std::stoi(url.substr(prefix.size(), slash - prefix.size()))), url.substr(slash)};
}

// The Set-Cookie value of cookie `name`, attributes included; empty when not set.
std::string set_cookie(const Response& response, const std::string& name) {
    auto [first, last] = response.equal_range(http::field::set_cookie);
    for (auto it = first; it != last; ++it) {
        std::string value(it->value());
        if (value.starts_with(name + "=")) return value;
    }
    return "";
}

std::string cookie_value(const Response& response, const std::string& name) {
    auto header = set_cookie(response, name);
    if (header.empty()) return "";
    return header.substr(name.size() + 1, header.find(';') - name.size() - 1);
}

struct Started {
    Response response;
    std::string authorization_url;
    // The bijou_oauth cookie as a browser would send it back.
    std::string binding;
};

Started start(const std::string& provider_name = "test", const std::string& suffix = "") {
    auto response = bijou::testing::get(kPort, "/v1/auth/oauth/" + provider_name + "/start" + suffix);
    std::string location(response[http::field::location]);
    return {response, location, "bijou_oauth=" + cookie_value(response, "bijou_oauth")};
}

// Where the browser goes after the provider: a redirect to `url`, or, in form_post mode,
// the `page` that submits the callback form.
struct ProviderExit {
    std::string url;
    std::optional<Response> page;
};

// Follows the provider's redirects as a browser would, signed in as the account
// `login_hint`, until a redirect leaves the provider or the provider returns a page.
ProviderExit leave_provider(const std::string& authorization_url, const std::string& login_hint) {
    std::map<std::string, std::string> jar;
    auto url = authorization_url + "&login_hint=" + login_hint;
    for (int hop = 0; hop < 10; ++hop) {
        auto [port, target] = local_target(url);
        if (port != kProviderPort) return {url, std::nullopt};
        std::string cookies;
        for (const auto& [name, value] : jar) cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
        // The provider builds its redirects from Host, which a browser sends with the port.
        bijou::testing::Headers headers{{"Host", "127.0.0.1:" + std::to_string(port)}};
        if (!cookies.empty()) headers.emplace_back("Cookie", cookies);
        auto response = bijou::testing::get(port, target, headers);
        auto [first, last] = response.equal_range(http::field::set_cookie);
        for (auto it = first; it != last; ++it) {
            std::string text(it->value());
            auto equals = text.find('=');
            jar[text.substr(0, equals)] = text.substr(equals + 1, text.find(';') - equals - 1);
        }
        if (response.result_int() / 100 != 3) return {url, response};
        url = std::string(response[http::field::location]);
        if (url.starts_with("/")) url = "http://127.0.0.1:" + std::to_string(port) + url;
    }
    ADD_FAILURE() << "too many redirects at the provider";
    return {url, std::nullopt};
}

// Returns the callback URL that the provider redirects the browser to (query mode).
std::string authorize(const std::string& authorization_url, const std::string& login_hint) {
    auto exit = leave_provider(authorization_url, login_hint);
    if (exit.page) ADD_FAILURE() << "the provider returned a page instead of a redirect: " << exit.page->body();
    return exit.url;
}

std::string html_unescape(std::string text) {
    const std::pair<std::string, std::string> entities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [entity, character] : entities) {
        for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + character.size())) {
            text.replace(at, entity.size(), character);
        }
    }
    return text;
}

// The auto-submitted form of a form_post response: where it posts and its fields in order.
struct CallbackForm {
    std::string action;
    std::vector<std::pair<std::string, std::string>> fields;

    std::string field(const std::string& name) const {
        for (const auto& [key, value] : fields) {
            if (key == name) return value;
        }
        return "";
    }
    void set(const std::string& name, const std::string& value) {
        for (auto& [key, old] : fields) {
            if (key == name) old = value;
        }
    }
};

// Reads the form of oidc-provider's form_post page (lib/response_modes/form_post.js):
// <form method="post" action="..."> with <input type="hidden" name="..." value="..."/>.
CallbackForm read_callback_form(const Response& page) {
    CallbackForm form;
    const std::string& html = page.body();
    const std::string form_tag = "<form method=\"post\" action=\"";
    auto action = html.find(form_tag);
    if (action == std::string::npos) {
        ADD_FAILURE() << "no form_post form in the provider's page: " << html;
        return form;
    }
    action += form_tag.size();
    form.action = html_unescape(html.substr(action, html.find('"', action) - action));

    const std::string input_tag = "<input type=\"hidden\" name=\"";
    for (auto at = html.find(input_tag); at != std::string::npos; at = html.find(input_tag, at + 1)) {
        auto name_start = at + input_tag.size();
        auto name_end = html.find('"', name_start);
        auto value_start = html.find("value=\"", name_end) + 7;
        auto value_end = html.find('"', value_start);
        form.fields.emplace_back(html.substr(name_start, name_end - name_start),
                                 html_unescape(html.substr(value_start, value_end - value_start)));
    }
    return form;
}

// Percent-encodes everything but unreserved characters (RFC 3986 section 2.3).
std::string form_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += {'%', hex[c >> 4], hex[c & 0x0F]};
        }
    }
    return out;
}

// Follows the provider as authorize() does and returns the form that its page submits.
CallbackForm authorize_form(const std::string& authorization_url, const std::string& login_hint) {
    auto exit = leave_provider(authorization_url, login_hint);
    if (!exit.page) {
        ADD_FAILURE() << "the provider redirected to " << exit.url << " instead of returning a form_post page";
        return {};
    }
    return read_callback_form(*exit.page);
}

// Submits a callback form to bijou as the browser would, with the binding cookie.
Response post_form(const CallbackForm& form, const std::string& binding, const std::string& content_type =
                                                                               "application/x-www-form-urlencoded") {
    std::string body;
    for (const auto& [name, value] : form.fields) body += (body.empty() ? "" : "&") + name + "=" + form_encode(value);
    bijou::testing::Headers headers{{"Cookie", binding}, {"Content-Type", content_type},
                                    {"Origin", "http://127.0.0.1:" + std::to_string(kProviderPort)}};
    return bijou::testing::request(kPort, http::verb::post, local_target(form.action).second, headers, body);
}

Response callback(const std::string& callback_url, const std::string& binding, const std::string& language = "") {
    bijou::testing::Headers headers{{"Cookie", binding}};
    if (!language.empty()) headers.emplace_back("Accept-Language", language);
    return bijou::testing::get(kPort, local_target(callback_url).second, headers);
}

Response login(const std::string& subject, const std::string& provider_name = "test") {
    auto started = start(provider_name);
    EXPECT_EQ(started.response.result_int(), 302) << started.response.body();
    return callback(authorize(started.authorization_url, subject), started.binding);
}

std::string error_code(const Response& response) {
    EXPECT_EQ(response[http::field::content_type], "application/problem+json") << response.body();
    return std::string(json_body(response).as_object()["code"].as_string());
}

// Exchanges the session cookies of a login response for an access token, as the
// storefront does, and returns GET /v1/me with it.
json::object profile_after(const Response& signed_in) {
    std::string location(signed_in[http::field::location]);
    auto csrf = location.substr(location.find("#csrf_token=") + 12);
    bijou::testing::Headers headers{{"Origin", "https://loja.example"},
                                    {"X-CSRF-Token", csrf},
                                    {"Cookie", "bijou_refresh=" + cookie_value(signed_in, "bijou_refresh") +
                                                   "; bijou_csrf=" + cookie_value(signed_in, "bijou_csrf")}};
    auto refreshed = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh", headers);
    EXPECT_EQ(refreshed.result_int(), 200) << refreshed.body();
    auto token = std::string(json_body(refreshed).as_object()["access_token"].as_string());
    auto me = bijou::testing::get(kPort, "/v1/me", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(me.result_int(), 200) << me.body();
    return json_body(me).as_object();
}

json::object register_native(const std::string& email) {
    json::object body{{"email", email}, {"password", "colar de prata e lua"}, {"name", "Rita Lima"}, {"client", "native"}};
    auto response = bijou::testing::request(kPort, http::verb::post, "/v1/auth/register",
                                            {{"Content-Type", "application/json"}}, json::serialize(body));
    EXPECT_EQ(response.result_int(), 201) << response.body();
    return json_body(response).as_object();
}

Response password_login(const std::string& email) {
    json::object body{{"email", email}, {"password", "colar de prata e lua"}, {"client", "native"}};
    return bijou::testing::request(kPort, http::verb::post, "/v1/auth/login", {{"Content-Type", "application/json"}},
                                   json::serialize(body));
}

}  // namespace

TEST(OauthStart, RedirectsWithPkceStateAndNonce) {
    auto started = start();
    ASSERT_EQ(started.response.result_int(), 302) << started.response.body();
    const auto& url = started.authorization_url;
    EXPECT_TRUE(url.starts_with(provider->issuer() + "/auth?")) << url;
    EXPECT_EQ(query_param(url, "response_type"), "code");
    EXPECT_EQ(query_param(url, "client_id"), "bijou-rs256");
    EXPECT_EQ(query_param(url, "redirect_uri"), "http%3A%2F%2F127.0.0.1%3A18090%2Fv1%2Fauth%2Foauth%2Ftest%2Fcallback");
    EXPECT_EQ(query_param(url, "scope"), "openid%20email%20profile");
    EXPECT_EQ(query_param(url, "code_challenge_method"), "S256");
    EXPECT_EQ(query_param(url, "code_challenge").size(), 43u);
    EXPECT_EQ(query_param(url, "state").size(), 43u);
    EXPECT_EQ(query_param(url, "nonce").size(), 43u);
    EXPECT_NE(query_param(url, "state"), query_param(url, "nonce"));

    auto cookie = set_cookie(started.response, "bijou_oauth");
    EXPECT_NE(cookie.find("Path=/v1/auth/oauth"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_EQ(started.response[http::field::cache_control], "no-store");

    // The verifier and nonce stay server-side, so the next start gets fresh ones.
    EXPECT_NE(query_param(start().authorization_url, "code_challenge"), query_param(url, "code_challenge"));
}

TEST(OauthLogin, CreatesAccountThenReusesIdentity) {
    auto subject = unique("ana");
    provider->add_account(subject, email_of(subject), true, "Ana Ribeiro");
    auto first = login(subject);
    ASSERT_EQ(first.result_int(), 302) << first.body();
    std::string location(first[http::field::location]);
    EXPECT_TRUE(location.starts_with(std::string(kStorefront) + "#csrf_token=")) << location;
    auto refresh_cookie = set_cookie(first, "bijou_refresh");
    EXPECT_NE(refresh_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(refresh_cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(refresh_cookie.find("Path=/v1/auth"), std::string::npos);
    EXPECT_EQ(cookie_value(first, "bijou_csrf"), location.substr(location.find('=') + 1));
    EXPECT_NE(set_cookie(first, "bijou_oauth").find("Max-Age=0"), std::string::npos);

    auto me = profile_after(first);
    EXPECT_EQ(me["email"].as_string(), email_of(subject));
    EXPECT_EQ(me["name"].as_string(), "Ana Ribeiro");
    EXPECT_TRUE(me["email_verified"].as_bool());
    auto user_id = std::string(me["id"].as_string());
    EXPECT_EQ(query("SELECT password_hash IS NULL FROM app_user WHERE id = '" + user_id + "'"), "t");
    EXPECT_EQ(query("SELECT user_id || ' ' || issuer || ' ' || email_verified FROM oauth_identity "
                    "WHERE provider = 'test' AND subject = '" + subject + "'"),
              user_id + " " + provider->issuer() + " true");

    auto second = login(subject);
    ASSERT_EQ(second.result_int(), 302) << second.body();
    EXPECT_EQ(profile_after(second)["id"].as_string(), user_id);
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email_of(subject) + "'"), "1");
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE user_id = '" + user_id + "'"), "1");
}

TEST(OauthLogin, Es256ProviderSignsIn) {
    auto subject = unique("bia");
    provider->add_account(subject, email_of(subject), true, "Bia Costa");
    auto response = login(subject, "test_es");
    ASSERT_EQ(response.result_int(), 302) << response.body();
    EXPECT_EQ(profile_after(response)["email"].as_string(), email_of(subject));
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE provider = 'test_es' AND subject = '" + subject + "'"), "1");
}

TEST(OauthLogin, ReturnsToAllowedOrigin) {
    auto subject = unique("cora");
    provider->add_account(subject, email_of(subject), true, "Cora");
    auto started = start("test", "?return_to=https%3A%2F%2Fconta.loja.example%2Fpedidos%3Faba%3D2");
    ASSERT_EQ(started.response.result_int(), 302) << started.response.body();
    auto response = callback(authorize(started.authorization_url, subject), started.binding);
    ASSERT_EQ(response.result_int(), 302) << response.body();
    EXPECT_TRUE(std::string(response[http::field::location]).starts_with("https://conta.loja.example/pedidos?aba=2#csrf_token="));

    for (auto rejected : {"https%3A%2F%2Fatacante.example%2F", "javascript%3Aalert(1)", "%2Fconta",
                          "https%3A%2F%2Floja.example%2F%23x", "https%3A%2F%2Fx%40loja.example%2F"}) {
        auto bad = start("test", std::string("?return_to=") + rejected);
        EXPECT_EQ(bad.response.result_int(), 400) << rejected;
        EXPECT_EQ(error_code(bad.response), "invalid_parameter") << rejected;
    }
}

TEST(OauthLogin, LinksVerifiedEmailToPasswordAccount) {
    auto subject = unique("rita");
    auto email = email_of(subject);
    auto registered = register_native(email);
    auto user_id = std::string(registered["user"].as_object()["id"].as_string());
    auto old_refresh = std::string(registered["refresh_token"].as_string());

    provider->add_account(subject, email, true, "Rita no provedor");
    auto response = login(subject);
    ASSERT_EQ(response.result_int(), 302) << response.body();
    auto me = profile_after(response);
    EXPECT_EQ(me["id"].as_string(), user_id);
    EXPECT_TRUE(me["email_verified"].as_bool());
    EXPECT_EQ(me["name"].as_string(), "Rita Lima");
    EXPECT_EQ(query("SELECT user_id FROM oauth_identity WHERE provider = 'test' AND subject = '" + subject + "'"), user_id);
    EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'auth.oauth_linked' AND entity_id = '" + user_id + "'"),
              "1");

    // The password was set by someone who never proved they own the address, so it and
    // the sessions it opened are gone.
    EXPECT_EQ(query("SELECT password_hash IS NULL FROM app_user WHERE id = '" + user_id + "'"), "t");
    EXPECT_EQ(password_login(email).result_int(), 401);
    json::object refresh_body{{"refresh_token", old_refresh}};
    auto refreshed = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                             {{"Content-Type", "application/json"}}, json::serialize(refresh_body));
    EXPECT_EQ(refreshed.result_int(), 401);
}

TEST(OauthLogin, LinkKeepsPasswordOfVerifiedAccount) {
    auto subject = unique("lia");
    auto email = email_of(subject);
    auto registered = register_native(email);
    auto user_id = std::string(registered["user"].as_object()["id"].as_string());
    // As if the customer had opened the verification link.
    query("UPDATE app_user SET email_verified_at = now() WHERE id = '" + user_id + "'");

    provider->add_account(subject, email, true, "Lia");
    auto response = login(subject);
    ASSERT_EQ(response.result_int(), 302) << response.body();
    EXPECT_EQ(profile_after(response)["id"].as_string(), user_id);
    EXPECT_EQ(password_login(email).result_int(), 200);
    json::object refresh_body{{"refresh_token", registered["refresh_token"]}};
    auto refreshed = bijou::testing::request(kPort, http::verb::post, "/v1/auth/refresh",
                                             {{"Content-Type", "application/json"}}, json::serialize(refresh_body));
    EXPECT_EQ(refreshed.result_int(), 200) << refreshed.body();
}

TEST(OauthLogin, UnverifiedEmailCreatesNothing) {
    auto subject = unique("davi");
    provider->add_account(subject, email_of(subject), false, "Davi");
    auto response = login(subject);
    ASSERT_EQ(response.result_int(), 403) << response.body();
    EXPECT_EQ(error_code(response), "oauth_email_unverified");
    EXPECT_EQ(set_cookie(response, "bijou_refresh"), "");
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email_of(subject) + "'"), "0");
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE subject = '" + subject + "'"), "0");
}

TEST(OauthLogin, UnverifiedEmailLinksNothing) {
    auto subject = unique("eva");
    auto email = email_of(subject);
    auto user_id = std::string(register_native(email)["user"].as_object()["id"].as_string());
    provider->add_account(subject, email, false, "Eva");
    auto response = login(subject, "test_es");
    ASSERT_EQ(response.result_int(), 403) << response.body();
    EXPECT_EQ(error_code(response), "oauth_email_unverified");
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE user_id = '" + user_id + "'"), "0");
    EXPECT_EQ(query("SELECT password_hash IS NOT NULL FROM app_user WHERE id = '" + user_id + "'"), "t");
    EXPECT_EQ(password_login(email).result_int(), 200);
}

TEST(OauthCallback, WrongStateIsRejectedBeforeTokenRequest) {
    auto subject = unique("fabi");
    provider->add_account(subject, email_of(subject), true, "Fabi");
    auto started = start();
    auto callback_url = authorize(started.authorization_url, subject);
    auto requests_before = provider->token_requests();

    auto unknown_state = with_param(callback_url, "state", "c3RhdGUtcXVlLW5pbmd1ZW0tZW1pdGl1");
    auto response = callback(unknown_state, started.binding);
    EXPECT_EQ(response.result_int(), 400) << response.body();
    EXPECT_EQ(error_code(response), "oauth_invalid_state");

    // Another browser (no binding cookie) cannot finish this login, and the attempt
    // consumes the state.
    auto without_cookie = callback(callback_url, "outro=1");
    EXPECT_EQ(error_code(without_cookie), "oauth_invalid_state");
    auto after_theft = callback(callback_url, started.binding);
    EXPECT_EQ(error_code(after_theft), "oauth_invalid_state");

    EXPECT_EQ(provider->token_requests(), requests_before);
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE subject = '" + subject + "'"), "0");

    auto missing = bijou::testing::get(kPort, "/v1/auth/oauth/test/callback?code=abc", {{"Cookie", started.binding}});
    EXPECT_EQ(missing.result_int(), 400);
    EXPECT_EQ(error_code(missing), "invalid_parameter");
}

TEST(OauthCallback, StateOfOtherProviderIsRejected) {
    auto subject = unique("gil");
    provider->add_account(subject, email_of(subject), true, "Gil");
    auto started = start("test");
    auto callback_url = authorize(started.authorization_url, subject);
    auto crossed = callback_url;
    crossed.replace(crossed.find("/oauth/test/"), 12, "/oauth/test_es/");
    auto response = callback(crossed, started.binding);
    EXPECT_EQ(error_code(response), "oauth_invalid_state");
}

TEST(OauthCallback, ReplayedStateAndCodeAreRejected) {
    auto subject = unique("hugo");
    provider->add_account(subject, email_of(subject), true, "Hugo");
    auto started = start();
    auto callback_url = authorize(started.authorization_url, subject);
    ASSERT_EQ(callback(callback_url, started.binding).result_int(), 302);

    auto replayed = callback(callback_url, started.binding);
    EXPECT_EQ(replayed.result_int(), 400) << replayed.body();
    EXPECT_EQ(error_code(replayed), "oauth_invalid_state");

    // The used code under a fresh, valid state: the provider rejects it.
    auto fresh = start();
    auto fresh_callback = authorize(fresh.authorization_url, subject);
    auto reused_code = with_param(fresh_callback, "code", query_param(callback_url, "code"));
    auto response = callback(reused_code, fresh.binding);
    EXPECT_EQ(response.result_int(), 400) << response.body();
    EXPECT_EQ(error_code(response), "oauth_code_rejected");
}

TEST(OauthCallback, WrongNonceIsRejected) {
    auto subject = unique("ines");
    provider->add_account(subject, email_of(subject), true, "Ines");
    auto started = start();
    // The provider signs whatever nonce the authorization request carries.
    auto tampered = with_param(started.authorization_url, "nonce", "nonce-de-outro-login");
    auto response = callback(authorize(tampered, subject), started.binding);
    EXPECT_EQ(response.result_int(), 401) << response.body();
    EXPECT_EQ(error_code(response), "oauth_invalid_id_token");
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email_of(subject) + "'"), "0");
}

TEST(OauthCallback, AlteredIdTokensAreRejected) {
    for (const auto* mode : {"tamper", "expired", "wrong_issuer", "wrong_audience", "unknown_kid", "alg_none", "hs256"}) {
        auto subject = unique(std::string("jo-") + mode);
        provider->add_account(subject, email_of(subject), true, "Jo");
        auto started = start();
        auto callback_url = authorize(started.authorization_url, subject);
        provider->alter_next_id_token(mode);
        auto response = callback(callback_url, started.binding);
        EXPECT_EQ(response.result_int(), 401) << mode << ": " << response.body();
        EXPECT_EQ(error_code(response), "oauth_invalid_id_token") << mode;
        EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email_of(subject) + "'"), "0") << mode;
    }
}

TEST(OauthCallback, AccessDeniedIsReported) {
    auto started = start();
    auto callback_url = authorize(started.authorization_url, "deny");
    EXPECT_EQ(query_param(callback_url, "error"), "access_denied");
    auto response = callback(callback_url, started.binding);
    EXPECT_EQ(response.result_int(), 403) << response.body();
    EXPECT_EQ(error_code(response), "oauth_access_denied");
    EXPECT_EQ(json_body(response).as_object()["title"].as_string(), "Login não autorizado");

    auto english = callback(callback_url, started.binding, "en");
    EXPECT_EQ(json_body(english).as_object()["title"].as_string(), "Login not authorized");

    auto other = bijou::testing::get(kPort, "/v1/auth/oauth/test/callback?error=server_error%3Cscript%3E&state=x");
    EXPECT_EQ(other.result_int(), 400);
    EXPECT_EQ(error_code(other), "oauth_authorization_failed");
    EXPECT_EQ(other.body().find("<script>"), std::string::npos) << other.body();
}

TEST(OauthProvider, UnknownProviderIs404) {
    auto response = bijou::testing::get(kPort, "/v1/auth/oauth/orkut/start", {{"Accept-Language", "en"}});
    EXPECT_EQ(response.result_int(), 404);
    EXPECT_EQ(error_code(response), "oauth_provider_not_found");
    auto body = json_body(response).as_object();
    EXPECT_EQ(body["title"].as_string(), "Unknown login provider");
    EXPECT_NE(std::string(body["detail"].as_string()).find("\"orkut\""), std::string::npos);

    auto portuguese = bijou::testing::get(kPort, "/v1/auth/oauth/orkut/callback?code=a&state=b");
    EXPECT_EQ(portuguese.result_int(), 404);
    EXPECT_EQ(json_body(portuguese).as_object()["title"].as_string(), "Provedor de login desconhecido");
}

TEST(OauthFormPost, StartAsksForFormPost) {
    auto started = start("test_form");
    ASSERT_EQ(started.response.result_int(), 302) << started.response.body();
    EXPECT_EQ(query_param(started.authorization_url, "response_mode"), "form_post");
    EXPECT_EQ(query_param(started.authorization_url, "redirect_uri"),
              "http%3A%2F%2F127.0.0.1%3A18090%2Fv1%2Fauth%2Foauth%2Ftest_form%2Fcallback");
    EXPECT_EQ(query_param(start("test").authorization_url, "response_mode"), "");

    // A cross-site POST carries only SameSite=None cookies, which browsers require to be
    // Secure. The test server keeps auth.cookie_secure at its default, true.
    auto cookie = set_cookie(started.response, "bijou_oauth");
    EXPECT_NE(cookie.find("SameSite=None"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Path=/v1/auth/oauth"), std::string::npos) << cookie;
}

TEST(OauthFormPost, SignsInThroughFormCallback) {
    auto subject = unique("luz");
    provider->add_account(subject, email_of(subject), true, "Luz Amaral");
    auto started = start("test_form");
    auto form = authorize_form(started.authorization_url, subject);
    EXPECT_EQ(form.action, callback_uri("test_form"));
    EXPECT_FALSE(form.field("code").empty());
    EXPECT_EQ(form.field("state"), query_param(started.authorization_url, "state"));

    auto response = post_form(form, started.binding);
    ASSERT_EQ(response.result_int(), 303) << response.body();
    std::string location(response[http::field::location]);
    EXPECT_TRUE(location.starts_with(std::string(kStorefront) + "#csrf_token=")) << location;
    auto cleared = set_cookie(response, "bijou_oauth");
    EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
    EXPECT_NE(cleared.find("SameSite=None"), std::string::npos) << cleared;

    auto me = profile_after(response);
    EXPECT_EQ(me["email"].as_string(), email_of(subject));
    EXPECT_EQ(me["name"].as_string(), "Luz Amaral");
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE provider = 'test_form' AND subject = '" + subject + "'"),
              "1");

    auto replayed = post_form(form, started.binding);
    EXPECT_EQ(replayed.result_int(), 400) << replayed.body();
    EXPECT_EQ(error_code(replayed), "oauth_invalid_state");
}

TEST(OauthFormPost, WrongStateIsRejectedBeforeTokenRequest) {
    auto subject = unique("mel");
    provider->add_account(subject, email_of(subject), true, "Mel");
    auto started = start("test_form");
    auto form = authorize_form(started.authorization_url, subject);
    auto requests_before = provider->token_requests();

    auto unknown_state = form;
    unknown_state.set("state", "c3RhdGUtcXVlLW5pbmd1ZW0tZW1pdGl1");
    auto response = post_form(unknown_state, started.binding);
    EXPECT_EQ(response.result_int(), 400) << response.body();
    EXPECT_EQ(error_code(response), "oauth_invalid_state");

    // Without the binding cookie, as when a page of another site posts a stolen form.
    auto without_cookie = post_form(form, "outro=1");
    EXPECT_EQ(error_code(without_cookie), "oauth_invalid_state");
    auto after_theft = post_form(form, started.binding);
    EXPECT_EQ(error_code(after_theft), "oauth_invalid_state");

    auto missing_code = form;
    missing_code.fields.erase(missing_code.fields.begin());
    ASSERT_EQ(missing_code.field("code"), "");
    auto without_code = post_form(missing_code, started.binding);
    EXPECT_EQ(without_code.result_int(), 400);
    EXPECT_EQ(error_code(without_code), "invalid_parameter");

    EXPECT_EQ(provider->token_requests(), requests_before);
    EXPECT_EQ(query("SELECT count(*) FROM oauth_identity WHERE subject = '" + subject + "'"), "0");
}

TEST(OauthFormPost, AccessDeniedIsReported) {
    auto started = start("test_form");
    auto form = authorize_form(started.authorization_url, "deny");
    EXPECT_EQ(form.field("error"), "access_denied");
    auto response = post_form(form, started.binding);
    EXPECT_EQ(response.result_int(), 403) << response.body();
    EXPECT_EQ(error_code(response), "oauth_access_denied");
}

TEST(OauthFormPost, CallbackMethodMustMatchResponseMode) {
    auto subject = unique("nina");
    provider->add_account(subject, email_of(subject), true, "Nina");

    // A form POST to a query-mode provider is rejected before the state is read...
    auto started = start("test");
    auto callback_url = authorize(started.authorization_url, subject);
    CallbackForm form{callback_uri("test"),
                      {{"code", query_param(callback_url, "code")}, {"state", query_param(callback_url, "state")}}};
    auto posted = post_form(form, started.binding);
    EXPECT_EQ(posted.result_int(), 405) << posted.body();
    EXPECT_EQ(error_code(posted), "method_not_allowed");
    EXPECT_EQ(posted[http::field::allow], "GET, HEAD");
    // ...so the login can still finish the way the provider returns it.
    EXPECT_EQ(callback(callback_url, started.binding).result_int(), 302);

    // A query callback to a form_post provider is rejected too.
    auto form_started = start("test_form");
    auto form_fields = authorize_form(form_started.authorization_url, subject);
    auto as_query = bijou::testing::get(kPort,
                                        "/v1/auth/oauth/test_form/callback?code=" + form_encode(form_fields.field("code")) +
                                            "&state=" + form_fields.field("state"),
                                        {{"Cookie", form_started.binding}});
    EXPECT_EQ(as_query.result_int(), 405) << as_query.body();
    EXPECT_EQ(error_code(as_query), "method_not_allowed");
    EXPECT_EQ(as_query[http::field::allow], "POST");
    EXPECT_EQ(post_form(form_fields, form_started.binding).result_int(), 303);

    auto unknown = post_form(CallbackForm{callback_uri("orkut"), {{"code", "a"}, {"state", "b"}}}, started.binding);
    EXPECT_EQ(unknown.result_int(), 405) << unknown.body();
}

TEST(OauthFormPost, BodyTypeAndSizeAreChecked) {
    auto started = start("test_form");
    CallbackForm form{callback_uri("test_form"), {{"code", "abc"}, {"state", query_param(started.authorization_url, "state")}}};

    auto as_json = post_form(form, started.binding, "application/json");
    EXPECT_EQ(as_json.result_int(), 415) << as_json.body();
    EXPECT_EQ(error_code(as_json), "unsupported_media_type");
    EXPECT_NE(std::string(json_body(as_json).as_object()["detail"].as_string()).find("application/x-www-form-urlencoded"),
              std::string::npos)
        << as_json.body();

    auto oversized = form;
    oversized.fields.emplace_back("user", std::string(20 * 1024, 'x'));
    auto too_large = post_form(oversized, started.binding);
    EXPECT_EQ(too_large.result_int(), 413) << too_large.body();
    EXPECT_EQ(error_code(too_large), "payload_too_large");

    auto repeated = form;
    repeated.fields.emplace_back("state", "outro");
    auto ambiguous = post_form(repeated, started.binding);
    EXPECT_EQ(ambiguous.result_int(), 400) << ambiguous.body();
    EXPECT_EQ(error_code(ambiguous), "invalid_parameter");

    // Every other route keeps accepting JSON only.
    auto login_form = bijou::testing::request(kPort, http::verb::post, "/v1/auth/login",
                                              {{"Content-Type", "application/x-www-form-urlencoded"}},
                                              "email=a%40exemplo.com.br&password=x");
    EXPECT_EQ(login_form.result_int(), 415) << login_form.body();
    EXPECT_EQ(error_code(login_form), "unsupported_media_type");
    EXPECT_NE(std::string(json_body(login_form).as_object()["detail"].as_string()).find("application/json"),
              std::string::npos)
        << login_form.body();
}

TEST(OauthFormPost, EmailVerifiedAsString) {
    // Sign in with Apple may send email_verified as the string "true" or "false".
    auto verified = unique("olga");
    provider->add_account(verified, email_of(verified), "true", "Olga");
    auto started = start("test_form");
    auto response = post_form(authorize_form(started.authorization_url, verified), started.binding);
    ASSERT_EQ(response.result_int(), 303) << response.body();
    EXPECT_EQ(profile_after(response)["email"].as_string(), email_of(verified));

    auto unverified = unique("paula");
    provider->add_account(unverified, email_of(unverified), "false", "Paula");
    auto unverified_start = start("test_form");
    auto rejected = post_form(authorize_form(unverified_start.authorization_url, unverified), unverified_start.binding);
    EXPECT_EQ(rejected.result_int(), 403) << rejected.body();
    EXPECT_EQ(error_code(rejected), "oauth_email_unverified");
    EXPECT_EQ(query("SELECT count(*) FROM app_user WHERE email = '" + email_of(unverified) + "'"), "0");
}
