// Social-login provider settings: oauth.providers.NAME.* in YAML and the environment.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "core/config.hpp"

using bijou::ConfigError;
using bijou::load_config;

namespace {

constexpr const char* kMasterKey = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

bijou::EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

std::string write_file(const std::string& text) {
    char path[] = "/tmp/bijou-oauth-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const std::optional<std::string>& path, std::map<std::string, std::string> env) {
    try {
        load_config(path, env_of(std::move(env)));
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

std::map<std::string, std::string> production_env() {
    return {{"BIJOU_ENV", "production"}, {"BIJOU_AUTH_MASTER_KEY", kMasterKey},
            {"BIJOU_HTTP_PUBLIC_BASE_URL", "https://api.loja.example"}, {"BIJOU_OAUTH_STOREFRONT_URL", "https://loja.example/"},
            {"BIJOU_MAIL_TRANSPORT", "smtp"}, {"BIJOU_MAIL_SMTP_URL", "smtps://smtp.loja.example:465"},
            {"BIJOU_MAIL_LINK_BASE_URL", "https://loja.example"}, {"BIJOU_PAYMENTS_PROVIDER", "stripe"},
            {"BIJOU_PAYMENTS_STRIPE_SECRET_KEY", "sk_live_exemplo"}, {"BIJOU_PAYMENTS_STRIPE_WEBHOOK_SECRET", "whsec_exemplo"}};
}

}  // namespace

TEST(OauthConfig, NoProvidersByDefault) {
    auto config = load_config(std::nullopt, env_of({}));
    EXPECT_TRUE(config.oauth.providers.empty());
    EXPECT_EQ(config.oauth.state_ttl.count(), 600);
}

TEST(OauthConfig, ProviderFromYamlWithSecretFile) {
    auto secret = write_file("segredo-do-arquivo\n");
    auto yaml = write_file("oauth:\n  providers:\n    google:\n      issuer: https://accounts.google.com\n"
                           "      client_id: id-google\n      client_secret_file: " + secret + "\n");
    auto config = load_config(yaml, env_of({}));
    ASSERT_EQ(config.oauth.providers.size(), 1u);
    const auto& google = config.oauth.providers[0];
    EXPECT_EQ(google.name, "google");
    EXPECT_EQ(google.issuer, "https://accounts.google.com");
    EXPECT_EQ(google.client_id, "id-google");
    EXPECT_EQ(google.client_secret, "segredo-do-arquivo");
    EXPECT_EQ(google.response_mode, bijou::OAuthResponseMode::query);
    std::remove(secret.c_str());
    std::remove(yaml.c_str());
}

TEST(OauthConfig, ProviderFromEnvironment) {
    auto config = load_config(std::nullopt, env_of({{"BIJOU_OAUTH_PROVIDERS", "meu_idp, apple"},
                                                    {"BIJOU_OAUTH_PROVIDERS_MEU_IDP_ISSUER", "http://127.0.0.1:9000"},
                                                    {"BIJOU_OAUTH_PROVIDERS_MEU_IDP_CLIENT_ID", "cliente"},
                                                    {"BIJOU_OAUTH_PROVIDERS_MEU_IDP_CLIENT_SECRET", "segredo"},
                                                    {"BIJOU_OAUTH_PROVIDERS_APPLE_ISSUER", "https://appleid.apple.com"},
                                                    {"BIJOU_OAUTH_PROVIDERS_APPLE_CLIENT_ID", "br.loja"},
                                                    {"BIJOU_OAUTH_PROVIDERS_APPLE_CLIENT_SECRET", "outro"}}));
    ASSERT_EQ(config.oauth.providers.size(), 2u);
    EXPECT_EQ(config.oauth.providers[0].name, "apple");
    EXPECT_EQ(config.oauth.providers[1].name, "meu_idp");
    EXPECT_EQ(config.oauth.providers[1].client_secret, "segredo");
}

TEST(OauthConfig, InvalidProvidersNameTheKey) {
    std::map<std::string, std::string> base{{"BIJOU_OAUTH_PROVIDERS", "google"},
                                            {"BIJOU_OAUTH_PROVIDERS_GOOGLE_ISSUER", "https://accounts.google.com"},
                                            {"BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_ID", "id"}};
    EXPECT_NE(error_of(std::nullopt, base).find("oauth.providers.google.client_secret: set exactly one"), std::string::npos);

    auto both = base;
    both["BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET"] = "a";
    both["BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET_FILE"] = "/nao/existe";
    EXPECT_NE(error_of(std::nullopt, both).find("set exactly one"), std::string::npos);

    auto missing_file = base;
    missing_file["BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET_FILE"] = "/nao/existe";
    EXPECT_NE(error_of(std::nullopt, missing_file).find("cannot read /nao/existe"), std::string::npos);

    auto bad_issuer = base;
    bad_issuer["BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET"] = "a";
    bad_issuer["BIJOU_OAUTH_PROVIDERS_GOOGLE_ISSUER"] = "ftp://accounts.google.com";
    EXPECT_NE(error_of(std::nullopt, bad_issuer).find("oauth.providers.google.issuer"), std::string::npos);

    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_OAUTH_PROVIDERS", "Google"}}).find("provider name 'Google'"), std::string::npos);

    auto yaml = write_file("oauth:\n  providers:\n    google:\n      secret: x\n");
    EXPECT_NE(error_of(yaml, {}).find("oauth.providers.google.secret: unknown configuration key"), std::string::npos);
    std::remove(yaml.c_str());
}

TEST(OauthConfig, ProductionRules) {
    auto env = production_env();
    env["BIJOU_OAUTH_PROVIDERS"] = "local";
    env["BIJOU_OAUTH_PROVIDERS_LOCAL_ISSUER"] = "http://127.0.0.1:9000";
    env["BIJOU_OAUTH_PROVIDERS_LOCAL_CLIENT_ID"] = "id";
    env["BIJOU_OAUTH_PROVIDERS_LOCAL_CLIENT_SECRET"] = "segredo";
    EXPECT_NE(error_of(std::nullopt, env).find("oauth.providers.local.issuer: must use https://"), std::string::npos);

    env["BIJOU_OAUTH_PROVIDERS_LOCAL_ISSUER"] = "https://login.exemplo.com.br";
    EXPECT_EQ(error_of(std::nullopt, env), "");

    env["BIJOU_OAUTH_STOREFRONT_URL"] = "http://loja.example/";
    EXPECT_NE(error_of(std::nullopt, env).find("oauth.storefront_url"), std::string::npos);

    // A secret in the YAML file ends up in backups and repositories.
    auto yaml = write_file("oauth:\n  providers:\n    google:\n      issuer: https://accounts.google.com\n"
                           "      client_id: id\n      client_secret: no-arquivo\n");
    EXPECT_NE(error_of(yaml, production_env()).find("must come from the environment"), std::string::npos);
    auto from_env = production_env();
    from_env["BIJOU_OAUTH_PROVIDERS_GOOGLE_CLIENT_SECRET"] = "do-ambiente";
    EXPECT_EQ(error_of(yaml, from_env), "");
    std::remove(yaml.c_str());
}

TEST(OauthConfig, ResponseModeFromYamlAndEnvironment) {
    auto yaml = write_file("oauth:\n  providers:\n    apple:\n      issuer: https://appleid.apple.com\n"
                           "      client_id: br.loja.web\n      client_secret: x\n      response_mode: form_post\n");
    auto config = load_config(yaml, env_of({}));
    ASSERT_EQ(config.oauth.providers.size(), 1u);
    EXPECT_EQ(config.oauth.providers[0].response_mode, bijou::OAuthResponseMode::form_post);

    auto from_env = load_config(yaml, env_of({{"BIJOU_OAUTH_PROVIDERS_APPLE_RESPONSE_MODE", "query"}}));
    EXPECT_EQ(from_env.oauth.providers[0].response_mode, bijou::OAuthResponseMode::query);

    auto invalid = error_of(yaml, {{"BIJOU_OAUTH_PROVIDERS_APPLE_RESPONSE_MODE", "fragment"}});
    EXPECT_NE(invalid.find("oauth.providers.apple.response_mode: expected one of query, form_post, got 'fragment'"),
              std::string::npos)
        << invalid;
    std::remove(yaml.c_str());
}
