#include "core/config.hpp"

#include <sodium.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace bijou {

namespace {

// A raw value before typing: a scalar or, for list keys, several scalars.
struct RawValue {
    std::vector<std::string> items;
    bool is_list = false;
};

using Setter = std::function<void(Config&, const std::string& key, const RawValue&)>;

struct KeySpec {
    std::string name;
    Setter set;
};

const std::string& scalar(const std::string& key, const RawValue& value) {
    if (value.is_list || value.items.size() != 1) {
        throw ConfigError(key + ": expected a single value, got a list");
    }
    return value.items.front();
}

std::int64_t parse_integer(const std::string& key, const RawValue& raw, std::int64_t min,
                           std::int64_t max) {
    const auto& text = scalar(key, raw);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        throw ConfigError(key + ": expected an integer from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + text + "'");
    }
    return value;
}

std::string parse_choice(const std::string& key, const RawValue& raw,
                         std::initializer_list<std::string_view> allowed) {
    const auto& text = scalar(key, raw);
    if (std::ranges::find(allowed, text) != allowed.end()) return text;
    std::string list;
    for (auto choice : allowed) list += (list.empty() ? "" : ", ") + std::string(choice);
    throw ConfigError(key + ": expected one of " + list + ", got '" + text + "'");
}

std::string parse_url(const std::string& key, const RawValue& raw,
                      std::initializer_list<std::string_view> schemes) {
    const auto& text = scalar(key, raw);
    for (auto scheme : schemes) {
        if (text.starts_with(std::string(scheme) + "://") && text.size() > scheme.size() + 3) return text;
    }
    std::string list;
    for (auto scheme : schemes) list += (list.empty() ? "" : " or ") + std::string(scheme) + "://";
    // Only the scheme is echoed, because the rest may hold a password.
    auto scheme_end = text.find("://");
    auto shown = scheme_end == std::string::npos ? std::string("a value without a scheme") : "'" + text.substr(0, scheme_end + 3) + "...'";
    throw ConfigError(key + ": expected a URL starting with " + list + ", got " + shown);
}

std::string parse_nonempty(const std::string& key, const RawValue& raw) {
    const auto& text = scalar(key, raw);
    if (text.empty()) throw ConfigError(key + ": must not be empty");
    return text;
}

// A bare e-mail address (no display name) that can go into a mail header as it is.
std::string parse_email(const std::string& key, const RawValue& raw) {
    const auto& text = scalar(key, raw);
    auto at = text.find('@');
    bool plain = std::ranges::all_of(text, [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && c != 0x7f && c != '<' && c != '>' && c != '"' && c != ',';
    });
    if (!plain || at == std::string::npos || at == 0 || at + 1 == text.size() || text.find('@', at + 1) != std::string::npos) {
        throw ConfigError(key + ": expected an e-mail address such as nao-responda@loja.example, got '" + text + "'");
    }
    return text;
}

// An IPv4 or IPv6 address literal to listen on; host names are not resolved.
std::string parse_ip_address(const std::string& key, const RawValue& raw) {
    const auto& text = scalar(key, raw);
    boost::system::error_code ec;
    boost::asio::ip::make_address(text, ec);
    if (ec) throw ConfigError(key + ": expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got '" + text + "'");
    return text;
}

// A 32-byte key in standard base64, as `openssl rand -base64 32` prints it.
std::string parse_master_key(const std::string& key, const RawValue& raw) {
    const auto& text = scalar(key, raw);
    unsigned char decoded[64];
    std::size_t length = 0;
    if (sodium_base642bin(decoded, sizeof decoded, text.data(), text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length != 32) {
        throw ConfigError(key + ": expected 32 random bytes in base64 (create one with `openssl rand -base64 32`)");
    }
    sodium_memzero(decoded, sizeof decoded);
    return text;
}

// Free text of at most `max_characters` Unicode characters (UTF-8 continuation bytes are
// not counted), such as a name printed in a Pix code.
std::string parse_short_text(const std::string& key, const RawValue& raw, std::size_t max_characters) {
    const auto& text = parse_nonempty(key, raw);
    auto characters = static_cast<std::size_t>(
        std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    if (characters > max_characters) {
        throw ConfigError(key + ": must have at most " + std::to_string(max_characters) + " characters, got '" + text + "'");
    }
    return text;
}

Milliseconds parse_ms(const std::string& key, const RawValue& raw, std::int64_t min, std::int64_t max) {
    return Milliseconds(parse_integer(key, raw, min, max));
}

const std::vector<KeySpec>& key_specs() {
    static const std::vector<KeySpec> specs = {
        {"env", [](Config& c, auto& k, auto& v) { c.env = parse_choice(k, v, {"development", "test", "production"}); }},
        {"log.level", [](Config& c, auto& k, auto& v) {
             c.log_level = parse_choice(k, v, {"trace", "debug", "info", "warn", "error", "off"});
         }},
        {"http.host", [](Config& c, auto& k, auto& v) { c.http.host = parse_ip_address(k, v); }},
        {"http.port", [](Config& c, auto& k, auto& v) {
             c.http.port = static_cast<std::uint16_t>(parse_integer(k, v, 0, 65535));
         }},
        {"http.threads", [](Config& c, auto& k, auto& v) {
             c.http.threads = static_cast<unsigned>(parse_integer(k, v, 0, 256));
         }},
        {"http.max_header_bytes", [](Config& c, auto& k, auto& v) {
             c.http.max_header_bytes = static_cast<std::size_t>(parse_integer(k, v, 1024, 1024 * 1024));
         }},
        {"http.max_body_bytes", [](Config& c, auto& k, auto& v) {
             c.http.max_body_bytes = static_cast<std::size_t>(parse_integer(k, v, 1024, 64LL * 1024 * 1024));
         }},
        {"http.read_timeout_ms", [](Config& c, auto& k, auto& v) { c.http.read_timeout = parse_ms(k, v, 100, 600'000); }},
        {"http.idle_timeout_ms", [](Config& c, auto& k, auto& v) { c.http.idle_timeout = parse_ms(k, v, 100, 3'600'000); }},
        {"http.drain_timeout_ms", [](Config& c, auto& k, auto& v) { c.http.drain_timeout = parse_ms(k, v, 0, 600'000); }},
        {"http.shutdown_delay_ms", [](Config& c, auto& k, auto& v) { c.http.shutdown_delay = parse_ms(k, v, 0, 600'000); }},
        {"http.rate_limit_per_ip", [](Config& c, auto& k, auto& v) {
             c.http.rate_limit_per_ip = static_cast<int>(parse_integer(k, v, 1, 1'000'000'000));
         }},
        {"http.rate_limit_window_s", [](Config& c, auto& k, auto& v) {
             c.http.rate_limit_window = std::chrono::seconds(parse_integer(k, v, 1, 3600));
         }},
        {"http.trusted_proxies", [](Config& c, auto& k, auto& v) {
             c.http.trusted_proxies.clear();
             for (const auto& item : v.items) {
                 if (item.empty()) continue;
                 boost::system::error_code ec;
                 if (item.find('/') != std::string::npos) {
                     boost::asio::ip::make_network_v6(item, ec);
                     if (ec) {
                         ec.clear();
                         boost::asio::ip::make_network_v4(item, ec);
                     }
                 } else {
                     boost::asio::ip::make_address(item, ec);
                 }
                 if (ec) throw ConfigError(k + ": expected IP addresses or CIDR ranges such as 10.0.0.0/8, got '" + item + "'");
                 c.http.trusted_proxies.push_back(item);
             }
         }},
        {"http.cors_allowed_origins", [](Config& c, auto& k, auto& v) {
             c.http.cors_allowed_origins.clear();
             for (const auto& origin : v.items) {
                 if (origin.empty()) continue;
                 bool scheme_ok = origin.starts_with("http://") || origin.starts_with("https://");
                 auto authority = origin.substr(origin.find("//") + 2);
                 // A browser's Origin header has no path, so an entry with one never matches.
                 if (origin != "*" && (!scheme_ok || authority.empty() || authority.find('/') != std::string::npos)) {
                     throw ConfigError(k + ": expected origins such as https://loja.example (no path or trailing slash), got '" +
                                       origin + "'");
                 }
                 c.http.cors_allowed_origins.push_back(origin);
             }
         }},
        {"http.public_base_url", [](Config& c, auto& k, auto& v) {
             auto url = parse_url(k, v, {"http", "https"});
             while (url.ends_with('/')) url.pop_back();
             c.http.public_base_url = url;
         }},
        {"database.url", [](Config& c, auto& k, auto& v) { c.database.url = parse_url(k, v, {"postgresql", "postgres"}); }},
        {"database.pool_size", [](Config& c, auto& k, auto& v) {
             c.database.pool_size = static_cast<unsigned>(parse_integer(k, v, 1, 100));
         }},
        {"database.statement_timeout_ms", [](Config& c, auto& k, auto& v) {
             c.database.statement_timeout = parse_ms(k, v, 1, 600'000);
         }},
        {"database.connect_timeout_ms", [](Config& c, auto& k, auto& v) {
             c.database.connect_timeout = parse_ms(k, v, 100, 600'000);
         }},
        {"database.acquire_timeout_ms", [](Config& c, auto& k, auto& v) {
             c.database.acquire_timeout = parse_ms(k, v, 1, 600'000);
         }},
        {"redis.url", [](Config& c, auto& k, auto& v) { c.redis.url = parse_url(k, v, {"redis"}); }},
        {"redis.command_timeout_ms", [](Config& c, auto& k, auto& v) {
             c.redis.command_timeout = parse_ms(k, v, 1, 600'000);
         }},
        {"catalog.cache_max_age_s", [](Config& c, auto& k, auto& v) {
             c.catalog.cache_max_age = std::chrono::seconds(parse_integer(k, v, 0, 86'400));
         }},
        {"auth.master_key", [](Config& c, auto& k, auto& v) { c.auth.master_key = parse_master_key(k, v); }},
        {"auth.issuer", [](Config& c, auto& k, auto& v) { c.auth.issuer = parse_nonempty(k, v); }},
        {"auth.access_token_ttl_s", [](Config& c, auto& k, auto& v) {
             c.auth.access_token_ttl = std::chrono::seconds(parse_integer(k, v, 60, 3600));
         }},
        {"auth.refresh_idle_ttl_s", [](Config& c, auto& k, auto& v) {
             c.auth.refresh_idle_ttl = std::chrono::seconds(parse_integer(k, v, 300, 365LL * 24 * 3600));
         }},
        {"auth.refresh_absolute_ttl_s", [](Config& c, auto& k, auto& v) {
             c.auth.refresh_absolute_ttl = std::chrono::seconds(parse_integer(k, v, 300, 365LL * 24 * 3600));
         }},
        {"auth.cookie_secure", [](Config& c, auto& k, auto& v) {
             c.auth.cookie_secure = parse_choice(k, v, {"true", "false"}) == "true";
         }},
        {"auth.login_limit_per_ip", [](Config& c, auto& k, auto& v) {
             c.auth.login_limit_per_ip = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.login_limit_per_account", [](Config& c, auto& k, auto& v) {
             c.auth.login_limit_per_account = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.register_limit_per_ip", [](Config& c, auto& k, auto& v) {
             c.auth.register_limit_per_ip = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.key_activation_delay_s", [](Config& c, auto& k, auto& v) {
             c.auth.key_activation_delay = std::chrono::seconds(parse_integer(k, v, 0, 3600));
         }},
        {"auth.refresh_limit_per_ip", [](Config& c, auto& k, auto& v) {
             c.auth.refresh_limit_per_ip = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.export_limit_per_account", [](Config& c, auto& k, auto& v) {
             c.auth.export_limit_per_account = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.reset_limit_per_ip", [](Config& c, auto& k, auto& v) {
             c.auth.reset_limit_per_ip = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.reset_limit_per_account", [](Config& c, auto& k, auto& v) {
             c.auth.reset_limit_per_account = static_cast<int>(parse_integer(k, v, 1, 1'000'000));
         }},
        {"auth.lockout_threshold", [](Config& c, auto& k, auto& v) {
             c.auth.lockout_threshold = static_cast<int>(parse_integer(k, v, 1, 1000));
         }},
        {"auth.lockout_duration_s", [](Config& c, auto& k, auto& v) {
             c.auth.lockout_duration = std::chrono::seconds(parse_integer(k, v, 1, 7 * 24 * 3600));
         }},
        {"oauth.storefront_url", [](Config& c, auto& k, auto& v) { c.oauth.storefront_url = parse_url(k, v, {"http", "https"}); }},
        {"oauth.state_ttl_s", [](Config& c, auto& k, auto& v) {
             c.oauth.state_ttl = std::chrono::seconds(parse_integer(k, v, 60, 3600));
         }},
        {"oauth.http_timeout_ms", [](Config& c, auto& k, auto& v) { c.oauth.http_timeout = parse_ms(k, v, 100, 60'000); }},
        {"jobs.poll_interval_ms", [](Config& c, auto& k, auto& v) { c.jobs.poll_interval = parse_ms(k, v, 10, 60'000); }},
        {"jobs.claim_idle_ms", [](Config& c, auto& k, auto& v) { c.jobs.claim_idle = parse_ms(k, v, 500, 24 * 3'600'000LL); }},
        {"jobs.max_attempts", [](Config& c, auto& k, auto& v) {
             c.jobs.max_attempts = static_cast<int>(parse_integer(k, v, 1, 100));
         }},
        {"jobs.retry_base_ms", [](Config& c, auto& k, auto& v) { c.jobs.retry_base = parse_ms(k, v, 10, 3'600'000); }},
        {"jobs.retry_max_ms", [](Config& c, auto& k, auto& v) { c.jobs.retry_max = parse_ms(k, v, 10, 24 * 3'600'000LL); }},
        {"jobs.concurrency", [](Config& c, auto& k, auto& v) {
             c.jobs.concurrency = static_cast<int>(parse_integer(k, v, 1, 256));
         }},
        {"mail.transport", [](Config& c, auto& k, auto& v) { c.mail.transport = parse_choice(k, v, {"log", "smtp"}); }},
        {"mail.smtp_url", [](Config& c, auto& k, auto& v) { c.mail.smtp_url = parse_url(k, v, {"smtp", "smtps"}); }},
        {"mail.smtp_username", [](Config& c, auto& k, auto& v) { c.mail.smtp_username = scalar(k, v); }},
        {"mail.smtp_password", [](Config& c, auto& k, auto& v) { c.mail.smtp_password = scalar(k, v); }},
        {"mail.require_tls", [](Config& c, auto& k, auto& v) {
             c.mail.require_tls = parse_choice(k, v, {"true", "false"}) == "true";
         }},
        {"mail.timeout_ms", [](Config& c, auto& k, auto& v) { c.mail.timeout = parse_ms(k, v, 100, 600'000); }},
        {"mail.from_address", [](Config& c, auto& k, auto& v) { c.mail.from_address = parse_email(k, v); }},
        {"mail.from_name", [](Config& c, auto& k, auto& v) { c.mail.from_name = parse_nonempty(k, v); }},
        {"mail.link_base_url", [](Config& c, auto& k, auto& v) { c.mail.link_base_url = parse_url(k, v, {"http", "https"}); }},
        {"payments.provider", [](Config& c, auto& k, auto& v) {
             c.payments.provider = parse_choice(k, v, {"sandbox", "mercadopago", "stripe"});
         }},
        {"payments.pix_key", [](Config& c, auto& k, auto& v) { c.payments.pix_key = parse_short_text(k, v, 77); }},
        {"payments.merchant_name", [](Config& c, auto& k, auto& v) { c.payments.merchant_name = parse_short_text(k, v, 25); }},
        {"payments.merchant_city", [](Config& c, auto& k, auto& v) { c.payments.merchant_city = parse_short_text(k, v, 15); }},
        {"payments.sandbox.webhook_secret", [](Config& c, auto& k, auto& v) {
             c.payments.sandbox_webhook_secret = parse_nonempty(k, v);
         }},
        {"payments.webhook_tolerance_s", [](Config& c, auto& k, auto& v) {
             c.payments.webhook_tolerance = std::chrono::seconds(parse_integer(k, v, 10, 3600));
         }},
        {"payments.timeout_ms", [](Config& c, auto& k, auto& v) { c.payments.timeout = parse_ms(k, v, 1'000, 120'000); }},
        {"payments.mercadopago.base_url", [](Config& c, auto& k, auto& v) {
             auto url = parse_url(k, v, {"http", "https"});
             while (url.ends_with('/')) url.pop_back();
             c.payments.mercadopago.base_url = url;
         }},
        {"payments.mercadopago.access_token", [](Config& c, auto& k, auto& v) { c.payments.mercadopago.access_token = scalar(k, v); }},
        {"payments.mercadopago.webhook_secret", [](Config& c, auto& k, auto& v) {
             c.payments.mercadopago.webhook_secret = scalar(k, v);
         }},
        {"payments.stripe.base_url", [](Config& c, auto& k, auto& v) {
             auto url = parse_url(k, v, {"http", "https"});
             while (url.ends_with('/')) url.pop_back();
             c.payments.stripe.base_url = url;
         }},
        {"payments.stripe.secret_key", [](Config& c, auto& k, auto& v) { c.payments.stripe.secret_key = scalar(k, v); }},
        {"payments.stripe.webhook_secret", [](Config& c, auto& k, auto& v) { c.payments.stripe.webhook_secret = scalar(k, v); }},
        {"checkout.pix_reservation_s", [](Config& c, auto& k, auto& v) {
             c.checkout.pix_reservation = std::chrono::seconds(parse_integer(k, v, 1, 7 * 24 * 3600));
         }},
        {"checkout.card_reservation_s", [](Config& c, auto& k, auto& v) {
             c.checkout.card_reservation = std::chrono::seconds(parse_integer(k, v, 1, 7 * 24 * 3600));
         }},
        {"checkout.boleto_reservation_s", [](Config& c, auto& k, auto& v) {
             c.checkout.boleto_reservation = std::chrono::seconds(parse_integer(k, v, 1, 30 * 24 * 3600));
         }},
        {"checkout.boleto_settlement_s", [](Config& c, auto& k, auto& v) {
             c.checkout.boleto_settlement = std::chrono::seconds(parse_integer(k, v, 0, 30 * 24 * 3600));
         }},
        {"checkout.expiry_sweep_ms", [](Config& c, auto& k, auto& v) { c.checkout.expiry_sweep = parse_ms(k, v, 100, 3'600'000); }},
        {"shipping.rates_file", [](Config& c, auto& k, auto& v) { c.shipping_rates_file = scalar(k, v); }},
        {"seed.dir", [](Config& c, auto& k, auto& v) { c.seed_dir = parse_nonempty(k, v); }},
        {"media.dir", [](Config& c, auto& k, auto& v) { c.media_dir = parse_nonempty(k, v); }},
    };
    return specs;
}

std::string env_name(const std::string& key) {
    std::string name = "BIJOU_";
    for (char c : key) name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return name;
}

void flatten_yaml(const YAML::Node& node, const std::string& prefix, std::map<std::string, RawValue>& out) {
    if (node.IsMap()) {
        for (const auto& entry : node) {
            auto name = entry.first.as<std::string>();
            flatten_yaml(entry.second, prefix.empty() ? name : prefix + "." + name, out);
        }
    } else if (node.IsSequence()) {
        RawValue value{{}, true};
        for (const auto& item : node) {
            if (!item.IsScalar()) throw ConfigError(prefix + ": expected a list of plain values");
            value.items.push_back(item.as<std::string>());
        }
        out[prefix] = value;
    } else if (node.IsScalar()) {
        out[prefix] = RawValue{{node.as<std::string>()}, false};
    } else if (node.IsNull()) {
        out[prefix] = RawValue{{""}, false};
    }
}

RawValue env_value(const std::string& key, const std::string& text) {
    if (key == "http.cors_allowed_origins" || key == "http.trusted_proxies") {
        RawValue value{{}, true};
        std::size_t start = 0;
        while (start <= text.size()) {
            auto comma = text.find(',', start);
            auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            value.items.push_back(item);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return value;
    }
    return RawValue{{text}, false};
}

// Social-login providers are keyed by name: oauth.providers.NAME.FIELD in the YAML file,
// BIJOU_OAUTH_PROVIDERS_NAME_FIELD in the environment, where BIJOU_OAUTH_PROVIDERS lists
// the names that the environment adds.
constexpr std::string_view kProviderPrefix = "oauth.providers.";
constexpr std::array<std::string_view, 5> kProviderFields{"issuer", "client_id", "client_secret", "client_secret_file",
                                                           "response_mode"};

// Splits oauth.providers.NAME.FIELD into NAME and FIELD; nullopt for any other key.
std::optional<std::pair<std::string, std::string>> provider_key(const std::string& key) {
    if (!key.starts_with(kProviderPrefix)) return std::nullopt;
    auto rest = key.substr(kProviderPrefix.size());
    auto dot = rest.rfind('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    auto field = rest.substr(dot + 1);
    if (std::ranges::find(kProviderFields, field) == kProviderFields.end()) return std::nullopt;
    return std::make_pair(rest.substr(0, dot), field);
}

bool is_provider_name(const std::string& name) {
    if (name.empty() || name.size() > 40 || name[0] < 'a' || name[0] > 'z') return false;
    return std::ranges::all_of(name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string read_secret_file(const std::string& key, const std::string& path) {
    std::ifstream file(path);
    if (!file) throw ConfigError(key + ": cannot read " + path);
    std::ostringstream text;
    text << file.rdbuf();
    auto secret = text.str();
    while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back()))) secret.pop_back();
    if (secret.empty()) throw ConfigError(key + ": " + path + " is empty");
    return secret;
}

void load_oauth_providers(const std::map<std::string, RawValue>& yaml, const EnvLookup& env, Config& config) {
    std::set<std::string> names;
    for (const auto& [key, value] : yaml) {
        if (auto parts = provider_key(key)) names.insert(parts->first);
    }
    if (auto listed = env("BIJOU_OAUTH_PROVIDERS")) {
        std::stringstream list(*listed);
        std::string name;
        while (std::getline(list, name, ',')) {
            name.erase(0, name.find_first_not_of(' '));
            name.erase(name.find_last_not_of(' ') + 1);
            if (!name.empty()) names.insert(name);
        }
    }

    for (const auto& name : names) {
        auto prefix = std::string(kProviderPrefix) + name + ".";
        if (!is_provider_name(name)) {
            throw ConfigError(prefix + "issuer: the provider name '" + name +
                              "' must be 1 to 40 lowercase letters, digits or underscores, starting with a letter");
        }
        std::map<std::string, std::string> fields;
        bool secret_in_file = false;
        for (auto field : kProviderFields) {
            auto key = prefix + std::string(field);
            if (auto from_env = env(env_name(key))) {
                fields[std::string(field)] = *from_env;
            } else if (auto found = yaml.find(key); found != yaml.end()) {
                fields[std::string(field)] = scalar(key, found->second);
                if (field == "client_secret") secret_in_file = true;
            }
        }

        OAuthProviderConfig provider;
        provider.name = name;
        auto issuer_key = prefix + "issuer";
        if (fields["issuer"].empty()) throw ConfigError(issuer_key + ": must be set (" + env_name(issuer_key) + ")");
        provider.issuer = parse_url(issuer_key, RawValue{{fields["issuer"]}, false}, {"http", "https"});
        if (provider.issuer.find_first_of("?#") != std::string::npos) {
            throw ConfigError(issuer_key + ": an issuer URL has no query or fragment");
        }
        provider.client_id = fields["client_id"];
        if (provider.client_id.empty()) {
            throw ConfigError(prefix + "client_id: must be set (" + env_name(prefix + "client_id") + ")");
        }
        bool has_secret = !fields["client_secret"].empty();
        bool has_secret_file = !fields["client_secret_file"].empty();
        if (has_secret == has_secret_file) {
            throw ConfigError(prefix + "client_secret: set exactly one of client_secret (" + env_name(prefix + "client_secret") +
                              ") and client_secret_file");
        }
        provider.client_secret = has_secret ? fields["client_secret"]
                                            : read_secret_file(prefix + "client_secret_file", fields["client_secret_file"]);
        if (!fields["response_mode"].empty()) {
            auto mode_key = prefix + "response_mode";
            auto mode = parse_choice(mode_key, RawValue{{fields["response_mode"]}, false}, {"query", "form_post"});
            provider.response_mode = mode == "form_post" ? OAuthResponseMode::form_post : OAuthResponseMode::query;
        }
        if (config.env == "production") {
            if (!provider.issuer.starts_with("https://")) throw ConfigError(issuer_key + ": must use https:// when env is production");
            if (has_secret && secret_in_file) {
                throw ConfigError(prefix + "client_secret: must come from the environment (" + env_name(prefix + "client_secret") +
                                  ") or client_secret_file, not the YAML file, when env is production");
            }
        }
        config.oauth.providers.push_back(std::move(provider));
    }
}

// The provider must be a real one, with its secrets set and its API reached over https.
void check_production_payments(const PaymentsConfig& payments) {
    if (payments.provider == "sandbox") {
        throw ConfigError("payments.provider: must be mercadopago or stripe when env is production, not sandbox");
    }
    if (payments.provider == "mercadopago") {
        const auto& mp = payments.mercadopago;
        if (mp.access_token.empty()) {
            throw ConfigError("payments.mercadopago.access_token: must be set (BIJOU_PAYMENTS_MERCADOPAGO_ACCESS_TOKEN) when env is production");
        }
        if (mp.webhook_secret.empty()) {
            throw ConfigError("payments.mercadopago.webhook_secret: must be set (BIJOU_PAYMENTS_MERCADOPAGO_WEBHOOK_SECRET) when env is production");
        }
        if (!mp.base_url.starts_with("https://")) {
            throw ConfigError("payments.mercadopago.base_url: must use https:// when env is production");
        }
    }
    if (payments.provider == "stripe") {
        const auto& stripe = payments.stripe;
        if (stripe.secret_key.empty()) {
            throw ConfigError("payments.stripe.secret_key: must be set (BIJOU_PAYMENTS_STRIPE_SECRET_KEY) when env is production");
        }
        if (stripe.webhook_secret.empty()) {
            throw ConfigError("payments.stripe.webhook_secret: must be set (BIJOU_PAYMENTS_STRIPE_WEBHOOK_SECRET) when env is production");
        }
        if (!stripe.base_url.starts_with("https://")) {
            throw ConfigError("payments.stripe.base_url: must use https:// when env is production");
        }
    }
}

void check_production(const Config& config) {
    if (config.env != "production") return;
    if (std::ranges::find(config.http.cors_allowed_origins, "*") != config.http.cors_allowed_origins.end()) {
        throw ConfigError("http.cors_allowed_origins: a wildcard is not allowed when env is production");
    }
    if (!config.auth.cookie_secure) {
        throw ConfigError("auth.cookie_secure: must be true when env is production");
    }
    if (config.auth.master_key.empty()) {
        throw ConfigError("auth.master_key: must be set (BIJOU_AUTH_MASTER_KEY) when env is production");
    }
    if (!config.http.public_base_url.starts_with("https://")) {
        throw ConfigError("http.public_base_url: must use https:// when env is production");
    }
    if (!config.oauth.providers.empty() && !config.oauth.storefront_url.starts_with("https://")) {
        throw ConfigError("oauth.storefront_url: must use https:// when env is production");
    }
    if (config.mail.transport != "smtp") {
        throw ConfigError("mail.transport: must be smtp when env is production");
    }
    if (!config.mail.require_tls && !config.mail.smtp_url.starts_with("smtps://")) {
        throw ConfigError("mail.require_tls: must be true (or mail.smtp_url smtps://) when env is production");
    }
    if (!config.mail.link_base_url.starts_with("https://")) {
        throw ConfigError("mail.link_base_url: must use https:// when env is production");
    }
    check_production_payments(config.payments);
}

}  // namespace

Config load_config(const std::optional<std::string>& yaml_path, const EnvLookup& env) {
    std::map<std::string, RawValue> raw;
    if (yaml_path) {
        YAML::Node root;
        try {
            root = YAML::LoadFile(*yaml_path);
        } catch (const YAML::BadFile&) {
            throw ConfigError("cannot read config file " + *yaml_path + ": no such file, or not readable");
        } catch (const YAML::Exception& error) {
            throw ConfigError("config file " + *yaml_path + ": " + error.what());
        }
        flatten_yaml(root, "", raw);
        for (const auto& [key, value] : raw) {
            bool known = std::ranges::any_of(key_specs(), [&](const KeySpec& spec) { return spec.name == key; }) ||
                         provider_key(key).has_value();
            if (!known) throw ConfigError(key + ": unknown configuration key in " + *yaml_path);
        }
    }

    for (const auto& spec : key_specs()) {
        std::optional<std::string> from_env = env(env_name(spec.name));
        if (!from_env && spec.name == "database.url") from_env = env("DATABASE_URL");
        if (!from_env && spec.name == "redis.url") from_env = env("REDIS_URL");
        if (from_env) raw[spec.name] = env_value(spec.name, *from_env);
    }

    Config config;
    for (const auto& spec : key_specs()) {
        auto found = raw.find(spec.name);
        if (found != raw.end()) spec.set(config, spec.name, found->second);
    }
    if (config.jobs.claim_idle <= config.mail.timeout) {
        throw ConfigError("jobs.claim_idle_ms: must exceed mail.timeout_ms, or a slow e-mail is sent twice");
    }
    if (config.jobs.claim_idle <= config.payments.timeout) {
        throw ConfigError("jobs.claim_idle_ms: must exceed payments.timeout_ms, or a slow provider call runs twice");
    }
    load_oauth_providers(raw, env, config);
    if (config.jobs.retry_base > config.jobs.retry_max) {
        throw ConfigError("jobs.retry_base_ms: must not exceed jobs.retry_max_ms");
    }
    if (config.auth.refresh_idle_ttl > config.auth.refresh_absolute_ttl) {
        throw ConfigError("auth.refresh_idle_ttl_s: must not exceed auth.refresh_absolute_ttl_s");
    }
    check_production(config);
    return config;
}

std::optional<std::string> process_env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

std::vector<std::pair<std::string, std::string>> config_keys() {
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& spec : key_specs()) keys.emplace_back(spec.name, env_name(spec.name));
    keys.emplace_back("oauth.providers.NAME (names the environment adds, comma-separated)", "BIJOU_OAUTH_PROVIDERS");
    for (auto field : kProviderFields) {
        auto key = std::string(kProviderPrefix) + "NAME." + std::string(field);
        keys.emplace_back(key, env_name(key));
    }
    return keys;
}

}  // namespace bijou
