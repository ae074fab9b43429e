#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bijou {

using Milliseconds = std::chrono::milliseconds;

struct HttpConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    // I/O threads; 0 means one per CPU core.
    unsigned threads = 0;
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    Milliseconds read_timeout{10'000};
    Milliseconds idle_timeout{60'000};
    Milliseconds drain_timeout{10'000};
    // After SIGTERM, how long to keep accepting while /readyz reports 503, so that a load
    // balancer notices the change and stops routing here before the listener closes.
    Milliseconds shutdown_delay{0};
    std::vector<std::string> cors_allowed_origins;
    // Base of the absolute URLs the API returns, such as image URLs.
    std::string public_base_url = "http://127.0.0.1:8080";
    // Global budget: requests per client IP in rate_limit_window (health checks and payment
    // webhooks excepted).
    int rate_limit_per_ip = 1200;
    std::chrono::seconds rate_limit_window{60};
    // Reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges. The
    // client address is then the rightmost one in that header that is not a trusted proxy.
    std::vector<std::string> trusted_proxies;
};

struct DatabaseConfig {
    std::string url = "postgresql://bijou@127.0.0.1:55432/bijou";
    // Connections per I/O thread.
    unsigned pool_size = 4;
    Milliseconds statement_timeout{5'000};
    Milliseconds connect_timeout{3'000};
    // How long a request waits for a free connection before it gets 503.
    Milliseconds acquire_timeout{2'000};
};

struct RedisConfig {
    std::string url = "redis://127.0.0.1:56379/0";
    Milliseconds command_timeout{1'000};
};

struct CatalogConfig {
    // max-age of the Cache-Control header on public catalog responses.
    std::chrono::seconds cache_max_age{60};
};

struct AuthConfig {
    // 32-byte key, base64-encoded, that seals signing keys at rest. Empty means the
    // built-in development key, which production refuses.
    std::string master_key;
    std::string issuer = "bijou";
    std::chrono::seconds access_token_ttl{900};
    // A session ends when its refresh token goes unused this long...
    std::chrono::seconds refresh_idle_ttl{30 * 24 * 3600};
    // ...and in any case this long after login.
    std::chrono::seconds refresh_absolute_ttl{90 * 24 * 3600};
    // Secure flag on the refresh cookie; only the local stack may turn it off.
    bool cookie_secure = true;
    // Login attempts per client IP in 5 minutes, per account in 15 minutes, and sign-ups
    // per client IP in an hour.
    int login_limit_per_ip = 30;
    int login_limit_per_account = 10;
    int register_limit_per_ip = 10;
    // Password-reset requests per client IP and per e-mail address in an hour; the
    // per-address budget also caps requests for a new verification e-mail.
    int reset_limit_per_ip = 10;
    // Token refreshes per client IP in 5 minutes (customer and admin counted apart), and
    // personal-data exports per account in an hour.
    int refresh_limit_per_ip = 300;
    int export_limit_per_account = 5;
    int reset_limit_per_account = 5;
    // Wrong passwords in a row that lock an account, and for how long.
    int lockout_threshold = 5;
    std::chrono::seconds lockout_duration{15 * 60};
    // After `bijou keys rotate`, the new key starts signing this much later, once every
    // server has reloaded the key set (each does every 30 s) and can verify its tokens.
    std::chrono::seconds key_activation_delay{60};
};

// The channel by which a provider returns the authorization response to the callback
// (response modes of OAuth 2.0 Multiple Response Type Encoding Practices and OAuth 2.0
// Form Post Response Mode).
enum class OAuthResponseMode {
    // A redirect with the parameters in the query string: GET .../callback.
    query,
    // An auto-submitted HTML form: a cross-site POST .../callback with an
    // application/x-www-form-urlencoded body. Sign in with Apple requires it when the
    // email or name scope is requested.
    form_post,
};

// One OpenID Connect provider for social login, such as Google.
struct OAuthProviderConfig {
    // The name in /v1/auth/oauth/{name}/..., and in oauth_identity.provider.
    std::string name;
    // Issuer URL; discovery is read from {issuer}/.well-known/openid-configuration and the
    // ID token's `iss` must equal it exactly.
    std::string issuer;
    std::string client_id;
    std::string client_secret;
    OAuthResponseMode response_mode = OAuthResponseMode::query;
};

struct OAuthConfig {
    // Where a browser lands after a social login without an allowed `return_to`.
    std::string storefront_url = "http://localhost:3000/";
    // How long a started login (state, nonce, PKCE verifier) stays usable.
    std::chrono::seconds state_ttl{600};
    // Limit for each request to a provider (discovery, JWKS, token endpoint).
    Milliseconds http_timeout{5'000};
    std::vector<OAuthProviderConfig> providers;
};

// The background job queue: the outbox relay and the Redis Streams consumers of `bijou worker`.
struct JobsConfig {
    // How often the relay looks for new outbox rows and due retries.
    Milliseconds poll_interval{250};
    // A job whose worker has not acknowledged it for this long is taken over by another
    // worker (the first one is presumed dead). Must exceed the longest job.
    Milliseconds claim_idle{60'000};
    // Attempts before a failing job goes to the dead-letter stream, and the delay before
    // the first retry, doubled on each attempt up to retry_max.
    int max_attempts = 8;
    Milliseconds retry_base{2'000};
    Milliseconds retry_max{15 * 60'000};
    // Jobs one worker process runs at once.
    int concurrency = 4;
};

// Outgoing e-mail, sent by the worker.
struct MailConfig {
    // "log" writes each message to the log instead of sending it (the local stack);
    // "smtp" sends it to smtp_url.
    std::string transport = "log";
    // smtp://host:port (STARTTLS when the server offers it, required when require_tls) or
    // smtps://host:port.
    std::string smtp_url = "smtp://127.0.0.1:1025";
    std::string smtp_username;
    std::string smtp_password;
    bool require_tls = false;
    Milliseconds timeout{20'000};
    std::string from_address = "nao-responda@bijou.example";
    std::string from_name = "Bijou";
    // Where the links in e-mails point: the storefront pages that finish each flow.
    std::string link_base_url = "http://localhost:3000";
};

// Mercado Pago's Checkout API (payments.mercadopago.*).
struct MercadoPagoConfig {
    std::string base_url = "https://api.mercadopago.com";
    // Sent as a Bearer token. Comes from the environment in production.
    std::string access_token;
    // Signs the x-signature header of webhooks ("secret signature" in the developer panel).
    std::string webhook_secret;
};

// Stripe's PaymentIntents API (payments.stripe.*).
struct StripeConfig {
    std::string base_url = "https://api.stripe.com";
    // Secret API key (sk_live_... or sk_test_...), sent as the basic-auth user name.
    std::string secret_key;
    // Signing secret of the webhook endpoint (whsec_...).
    std::string webhook_secret;
};

// The payment provider checkout charges through, and the receiver data of Pix codes that
// Bijou builds itself.
struct PaymentsConfig {
    // "sandbox" (local development and tests), "mercadopago" or "stripe".
    std::string provider = "sandbox";
    // Pix key that receives payments, for the Pix codes Bijou builds (the sandbox provider).
    // The default is the random key of Banco Central's example, which pays no one.
    std::string pix_key = "123e4567-e12b-12d1-a456-426655440000";
    // Receiver name (at most 25 characters) and city (at most 15) in Pix codes; accents
    // are removed.
    std::string merchant_name = "Bijou";
    std::string merchant_city = "Sao Paulo";
    // Signs the sandbox provider's webhooks. The default suits development only, and
    // production refuses the sandbox provider.
    std::string sandbox_webhook_secret = "bijou-sandbox-webhook-secret";
    // How far a webhook's signed timestamp may be from the clock before it is rejected.
    std::chrono::seconds webhook_tolerance{300};
    // Limit on one HTTP call to the provider, connection included.
    Milliseconds timeout{15'000};
    MercadoPagoConfig mercadopago;
    StripeConfig stripe;
};

// The time an unpaid order keeps its stock reserved, per payment method, and how often the
// worker looks for orders whose reservation ran out.
struct CheckoutConfig {
    std::chrono::seconds pix_reservation{30 * 60};
    std::chrono::seconds card_reservation{30 * 60};
    std::chrono::seconds boleto_reservation{3 * 24 * 3600};
    // Beyond the end of a boleto's due date, for the bank to settle it.
    std::chrono::seconds boleto_settlement{2 * 24 * 3600};
    Milliseconds expiry_sweep{30'000};
};

struct Config {
    // development, test or production.
    std::string env = "development";
    std::string log_level = "info";
    HttpConfig http;
    DatabaseConfig database;
    RedisConfig redis;
    CatalogConfig catalog;
    AuthConfig auth;
    JobsConfig jobs;
    CheckoutConfig checkout;
    MailConfig mail;
    OAuthConfig oauth;
    PaymentsConfig payments;
    // YAML shipping table; empty means the copy of config/shipping.yaml built into the binary.
    std::string shipping_rates_file;
    std::string seed_dir = "data/seed";
    // Folder served under /media/ by the filesystem object storage.
    std::string media_dir = "data/seed/images";
};

// Raised for an invalid configuration value; the message names the key.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Loads the configuration: built-in defaults, then the YAML file when given, then
// environment variables, which win. Each key `a.b_c` is read from BIJOU_A_B_C;
// DATABASE_URL and REDIS_URL are also accepted for database.url and redis.url.
// Throws ConfigError naming the key of the first invalid value.
Config load_config(const std::optional<std::string>& yaml_path, const EnvLookup& env);

// Reads the process environment.
std::optional<std::string> process_env(const std::string& name);

// Every configuration key with its environment variable, for --help and the docs.
std::vector<std::pair<std::string, std::string>> config_keys();

}  // namespace bijou
