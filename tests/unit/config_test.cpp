#include "core/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

using bijou::ConfigError;
using bijou::load_config;

namespace {

// 32 bytes of 0x01, base64-encoded.
constexpr const char* kMasterKey = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

bijou::EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

std::string write_yaml(const std::string& text) {
    char path[] = "/tmp/bijou-config-XXXXXX";
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

}  // namespace

TEST(Config, DefaultsWithoutFileOrEnvironment) {
    auto config = load_config(std::nullopt, env_of({}));
    EXPECT_EQ(config.env, "development");
    EXPECT_EQ(config.http.port, 8080);
    EXPECT_EQ(config.http.max_header_bytes, 8192u);
    EXPECT_EQ(config.database.pool_size, 4u);
}

TEST(Config, ReadsYamlFile) {
    auto path = write_yaml("http:\n  port: 9090\n  cors_allowed_origins: [https://loja.example]\ndatabase:\n  pool_size: 8\n");
    auto config = load_config(path, env_of({}));
    EXPECT_EQ(config.http.port, 9090);
    ASSERT_EQ(config.http.cors_allowed_origins.size(), 1u);
    EXPECT_EQ(config.http.cors_allowed_origins[0], "https://loja.example");
    EXPECT_EQ(config.database.pool_size, 8u);
    std::remove(path.c_str());
}

TEST(Config, EnvironmentWinsOverFile) {
    auto path = write_yaml("http:\n  port: 9090\n");
    auto config = load_config(path, env_of({{"BIJOU_HTTP_PORT", "7070"},
                                           {"DATABASE_URL", "postgresql://x@db:5432/shop"},
                                           {"BIJOU_HTTP_CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"}}));
    EXPECT_EQ(config.http.port, 7070);
    EXPECT_EQ(config.database.url, "postgresql://x@db:5432/shop");
    ASSERT_EQ(config.http.cors_allowed_origins.size(), 2u);
    EXPECT_EQ(config.http.cors_allowed_origins[1], "https://b.example");
    std::remove(path.c_str());
}

TEST(Config, PrefixedVariableBeatsGenericUrl) {
    auto config = load_config(std::nullopt, env_of({{"DATABASE_URL", "postgresql://generic/db"},
                                                    {"BIJOU_DATABASE_URL", "postgresql://specific/db"}}));
    EXPECT_EQ(config.database.url, "postgresql://specific/db");
}

TEST(Config, InvalidValueNamesKey) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_HTTP_PORT", "abc"}}).find("http.port"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_HTTP_PORT", "70000"}}).find("http.port"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_LOG_LEVEL", "loud"}}).find("log.level"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"REDIS_URL", "http://x"}}).find("redis.url"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_DATABASE_POOL_SIZE", "0"}}).find("database.pool_size"), std::string::npos);
}

TEST(Config, HostAndOriginsChecked) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_HTTP_HOST", "localhost"}}).find("http.host"), std::string::npos);
    EXPECT_EQ(error_of(std::nullopt, {{"BIJOU_HTTP_HOST", "::1"}}), "");
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_HTTP_CORS_ALLOWED_ORIGINS", "http://localhost:3000/"}})
                  .find("http.cors_allowed_origins"),
              std::string::npos);
    EXPECT_NE(error_of(std::string("/nonexistent/bijou.yaml"), {}).find("cannot read config file"), std::string::npos);
}

TEST(Config, UnknownYamlKeyRejected) {
    auto path = write_yaml("http:\n  prot: 9090\n");
    EXPECT_NE(error_of(path, {}).find("http.prot"), std::string::npos);
    std::remove(path.c_str());
}

TEST(Config, ListWhereScalarExpected) {
    auto path = write_yaml("http:\n  port: [1, 2]\n");
    EXPECT_NE(error_of(path, {}).find("http.port"), std::string::npos);
    std::remove(path.c_str());
}

TEST(Config, ProductionRejectsDevelopmentDefaults) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_ENV", "production"}, {"BIJOU_HTTP_PUBLIC_BASE_URL", "https://loja.example"},
                                      {"BIJOU_HTTP_CORS_ALLOWED_ORIGINS", "*"}})
                  .find("http.cors_allowed_origins"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_ENV", "production"}}).find("auth.master_key"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_ENV", "production"}, {"BIJOU_AUTH_MASTER_KEY", kMasterKey}})
                  .find("http.public_base_url"),
              std::string::npos);
    std::map<std::string, std::string> production{{"BIJOU_ENV", "production"},
                                                  {"BIJOU_AUTH_MASTER_KEY", kMasterKey},
                                                  {"BIJOU_HTTP_PUBLIC_BASE_URL", "https://loja.example"}};
    EXPECT_NE(error_of(std::nullopt, production).find("mail.transport"), std::string::npos);
    production["BIJOU_MAIL_TRANSPORT"] = "smtp";
    EXPECT_NE(error_of(std::nullopt, production).find("mail.require_tls"), std::string::npos);
    production["BIJOU_MAIL_SMTP_URL"] = "smtps://smtp.loja.example:465";
    EXPECT_NE(error_of(std::nullopt, production).find("mail.link_base_url"), std::string::npos);
    production["BIJOU_MAIL_LINK_BASE_URL"] = "https://loja.example";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.provider"), std::string::npos);
    production["BIJOU_PAYMENTS_PROVIDER"] = "stripe";
    production["BIJOU_PAYMENTS_STRIPE_SECRET_KEY"] = "sk_live_exemplo";
    production["BIJOU_PAYMENTS_STRIPE_WEBHOOK_SECRET"] = "whsec_exemplo";
    EXPECT_EQ(error_of(std::nullopt, production), "");
    production["BIJOU_MAIL_SMTP_URL"] = "smtp://smtp.loja.example:587";
    production["BIJOU_MAIL_REQUIRE_TLS"] = "true";
    EXPECT_EQ(error_of(std::nullopt, production), "");
}

TEST(Config, MailSettingsAreChecked) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_MAIL_TRANSPORT", "sendmail"}}).find("mail.transport"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_MAIL_SMTP_URL", "http://smtp.loja.example"}}).find("mail.smtp_url"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_MAIL_FROM_ADDRESS", "Loja <a@b.c>"}}).find("mail.from_address"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_MAIL_FROM_ADDRESS", "sem-arroba"}}).find("mail.from_address"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_JOBS_RETRY_BASE_MS", "5000"}, {"BIJOU_JOBS_RETRY_MAX_MS", "1000"}})
                  .find("jobs.retry_base_ms"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_JOBS_CLAIM_IDLE_MS", "1000"}, {"BIJOU_MAIL_TIMEOUT_MS", "20000"}})
                  .find("jobs.claim_idle_ms"),
              std::string::npos);
    EXPECT_EQ(error_of(std::nullopt, {{"BIJOU_MAIL_FROM_ADDRESS", "contato@loja.example"}}), "");
}

TEST(Config, MasterKeyMustBe32Bytes) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_AUTH_MASTER_KEY", "curta"}}).find("auth.master_key"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_AUTH_MASTER_KEY", "AAAA"}}).find("auth.master_key"), std::string::npos);
    EXPECT_EQ(error_of(std::nullopt, {{"BIJOU_AUTH_MASTER_KEY", kMasterKey}}), "");
}

TEST(Config, ExampleFileLoads) {
    auto config = load_config(std::string(BIJOU_SOURCE_DIR) + "/config/bijou.example.yaml", env_of({}));
    EXPECT_EQ(config.env, "development");
    EXPECT_EQ(config.http.port, 8080);
    EXPECT_EQ(config.http.cors_allowed_origins.size(), 1u);
}

TEST(Config, PaymentDefaultsAndKeys) {
    auto defaults = load_config(std::nullopt, env_of({}));
    EXPECT_EQ(defaults.payments.provider, "sandbox");
    EXPECT_EQ(defaults.payments.mercadopago.base_url, "https://api.mercadopago.com");
    EXPECT_EQ(defaults.payments.stripe.base_url, "https://api.stripe.com");
    EXPECT_EQ(defaults.payments.webhook_tolerance, std::chrono::seconds(300));

    auto path = write_yaml("payments:\n  provider: mercadopago\n  merchant_name: Ateliê Bijou\n  merchant_city: São Paulo\n"
                           "  webhook_tolerance_s: 120\n  mercadopago:\n    base_url: http://127.0.0.1:18192/\n");
    auto config = load_config(path, env_of({{"BIJOU_PAYMENTS_MERCADOPAGO_ACCESS_TOKEN", "TEST-token"},
                                            {"BIJOU_PAYMENTS_SANDBOX_WEBHOOK_SECRET", "segredo-local"}}));
    EXPECT_EQ(config.payments.provider, "mercadopago");
    EXPECT_EQ(config.payments.merchant_name, "Ateliê Bijou");
    EXPECT_EQ(config.payments.merchant_city, "São Paulo");
    EXPECT_EQ(config.payments.webhook_tolerance, std::chrono::seconds(120));
    EXPECT_EQ(config.payments.mercadopago.base_url, "http://127.0.0.1:18192");
    EXPECT_EQ(config.payments.mercadopago.access_token, "TEST-token");
    EXPECT_EQ(config.payments.sandbox_webhook_secret, "segredo-local");
    std::remove(path.c_str());
}

TEST(Config, PaymentSettingsAreChecked) {
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_PAYMENTS_PROVIDER", "paypal"}}).find("payments.provider"), std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_PAYMENTS_MERCHANT_CITY", "Sao Jose dos Campos"}}).find("payments.merchant_city"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_PAYMENTS_MERCHANT_NAME", "Bijuteria Artesanal da Marina"}})
                  .find("payments.merchant_name"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_PAYMENTS_STRIPE_BASE_URL", "api.stripe.com"}}).find("payments.stripe.base_url"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"BIJOU_PAYMENTS_WEBHOOK_TOLERANCE_S", "0"}}).find("payments.webhook_tolerance_s"),
              std::string::npos);
}

TEST(Config, ProductionChecksPaymentProvider) {
    std::map<std::string, std::string> production{{"BIJOU_ENV", "production"},
                                                  {"BIJOU_AUTH_MASTER_KEY", kMasterKey},
                                                  {"BIJOU_HTTP_PUBLIC_BASE_URL", "https://loja.example"},
                                                  {"BIJOU_MAIL_TRANSPORT", "smtp"},
                                                  {"BIJOU_MAIL_SMTP_URL", "smtps://smtp.loja.example:465"},
                                                  {"BIJOU_MAIL_LINK_BASE_URL", "https://loja.example"},
                                                  {"BIJOU_PAYMENTS_PROVIDER", "mercadopago"}};
    EXPECT_NE(error_of(std::nullopt, production).find("payments.mercadopago.access_token"), std::string::npos);
    production["BIJOU_PAYMENTS_MERCADOPAGO_ACCESS_TOKEN"] = "APP_USR-exemplo";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.mercadopago.webhook_secret"), std::string::npos);
    production["BIJOU_PAYMENTS_MERCADOPAGO_WEBHOOK_SECRET"] = "segredo";
    EXPECT_EQ(error_of(std::nullopt, production), "");
    production["BIJOU_PAYMENTS_MERCADOPAGO_BASE_URL"] = "http://127.0.0.1:18192";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.mercadopago.base_url"), std::string::npos);

    production["BIJOU_PAYMENTS_PROVIDER"] = "stripe";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.stripe.secret_key"), std::string::npos);
    production["BIJOU_PAYMENTS_STRIPE_SECRET_KEY"] = "sk_live_exemplo";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.stripe.webhook_secret"), std::string::npos);
    production["BIJOU_PAYMENTS_STRIPE_WEBHOOK_SECRET"] = "whsec_exemplo";
    EXPECT_EQ(error_of(std::nullopt, production), "");
    production["BIJOU_PAYMENTS_STRIPE_BASE_URL"] = "http://127.0.0.1:18193";
    EXPECT_NE(error_of(std::nullopt, production).find("payments.stripe.base_url"), std::string::npos);
}
