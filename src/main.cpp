// Command-line entry point: parses the command and dispatches; the work lives elsewhere.

#include <curl/curl.h>
#include <sodium.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "admin/service.hpp"
#include "app/serve.hpp"
#include "app/worker.hpp"
#include "auth/keys.hpp"
#include "catalog/seed.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "db/migrator.hpp"

namespace {

constexpr const char* kUsage = R"(Usage: bijou [--config FILE] COMMAND [ARGS]

Back end of the Bijou artisan-jewelry shop.

Commands:
  serve            Run the HTTP API.
  worker           Run background jobs: e-mails, payment events, order expiry.
  migrate up       Apply pending database migrations.
  migrate status   List applied and pending migrations.
  seed             Load the demo catalogue (idempotent).
  keys rotate      Add a new access-token signing key; the old one keeps
                   verifying until its last token expires.
  keys ensure      Add a first signing key if there is none.
  admin create     Create an admin user (for the first owner) with TOTP.
  help [COMMAND]   Show this text, or a command's help.
  version          Show the version.

Options:
  --config FILE    YAML configuration file. Default: $BIJOU_CONFIG, else
                   config/bijou.yaml when it exists, else built-in defaults.
                   Environment variables override the file (see `bijou help config`).
  --help           Show help for a command, e.g. `bijou migrate --help`.
)";

constexpr const char* kServeHelp = R"(Usage: bijou [--config FILE] serve

Runs the HTTP API on http.host:http.port with http.threads I/O threads (0 = one per
core). SIGINT or SIGTERM starts a graceful drain: /readyz turns 503, new connections are
refused, and requests in flight get up to http.drain_timeout_ms to finish.
)";

constexpr const char* kWorkerHelp = R"(Usage: bijou [--config FILE] worker

Relays jobs from the outbox table to the Redis stream bijou:jobs and runs them as one
consumer of the group "workers", up to jobs.concurrency at once. A failed job is retried
with exponential backoff (jobs.retry_base_ms doubled per attempt, up to jobs.retry_max_ms)
and after jobs.max_attempts goes to the stream bijou:jobs:dead. A job left unacknowledged
for jobs.claim_idle_ms by a worker that died is taken over by another. Run as many worker
processes as the load needs. E-mails go out through mail.transport (log or smtp).
SIGINT or SIGTERM stops taking jobs and lets running ones end.
)";

constexpr const char* kMigrateHelp = R"(Usage: bijou [--config FILE] migrate up|status

  up       Apply every pending migration from migrations/ (embedded in this binary), each
           in its own transaction, under an advisory lock: safe to run from several
           processes at once.
  status   List each migration as applied, pending or changed; exits 1 when any is pending.
)";

constexpr const char* kSeedHelp = R"(Usage: bijou [--config FILE] seed

Loads collections, pendant options and products from seed.dir (default data/seed) in one
transaction. Rows are matched by slug, code and SKU, so running it again changes nothing.
Stock is set only for new variants and pendant options, never reset.
)";

constexpr const char* kKeysHelp = R"(Usage: bijou [--config FILE] keys rotate|ensure

ensure: activates a first signing key when none is active, else does nothing.
rotate:
adds a new Ed25519 signing key, published in /.well-known/jwks.json at once, which takes
over from the active key after auth.key_activation_delay_s (60 s): by then every running
server has reloaded the key set (each does every 30 s) and accepts its tokens. Tokens
signed with the retired key keep verifying for auth.access_token_ttl_s plus 60 s more,
then the key leaves the key set. Private keys are sealed with auth.master_key
(BIJOU_AUTH_MASTER_KEY).
)";

void print_config_help() {
    std::cout << "Configuration keys and their environment variables (the environment wins):\n";
    for (const auto& [key, env] : bijou::config_keys()) std::cout << "  " << key << "  (" << env << ")\n";
    std::cout << "DATABASE_URL and REDIS_URL are accepted for database.url and redis.url.\n";
}

constexpr const char* kAdminHelp = R"(Usage: bijou [--config FILE] admin create EMAIL NAME ROLE

Creates an admin user and prints the otpauth:// URI to add to an authenticator app; admin
login needs the password and a code from that app. ROLE is one of owner, manager,
catalog_editor, order_operator, support. The password is read from BIJOU_ADMIN_PASSWORD,
else from the first line of standard input; it must have 8 to 128 characters and not be
a common one. Use it to create the first owner.
)";

constexpr const char* kVersion = "0.1.0";

// Returns the help text of a command, or nullptr for an unknown command.
const char* command_help(const std::string& command) {
    if (command == "serve") return kServeHelp;
    if (command == "worker") return kWorkerHelp;
    if (command == "migrate") return kMigrateHelp;
    if (command == "seed") return kSeedHelp;
    if (command == "keys") return kKeysHelp;
    if (command == "admin") return kAdminHelp;
    return nullptr;
}

std::optional<std::string> default_config_path() {
    if (auto from_env = bijou::process_env("BIJOU_CONFIG")) return from_env;
    if (std::filesystem::exists("config/bijou.yaml")) return std::string("config/bijou.yaml");
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::optional<std::string> config_path;
    bool help = false;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config") {
            if (i + 1 == args.size()) {
                std::cerr << "bijou: --config needs a file name\n";
                return 2;
            }
            config_path = args[++i];
        } else if (args[i] == "--help" || args[i] == "-h") {
            help = true;
        } else {
            words.push_back(args[i]);
        }
    }

    if (words.empty()) {
        if (help) {
            std::cout << kUsage;
            return 0;
        }
        std::cerr << kUsage;
        return 2;
    }
    std::string command = words[0];
    if (command == "--version" || command == "version") {
        std::cout << "bijou " << kVersion << "\n";
        return 0;
    }
    if (command == "help" && words.size() > 1) {
        if (words[1] == "config") {
            print_config_help();
            return 0;
        }
        command = words[1];
        help = true;
    } else if (command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (help) {
        const char* text = command_help(command);
        if (text == nullptr) {
            std::cerr << "bijou: unknown command \"" << command << "\"\n\n" << kUsage;
            return 2;
        }
        std::cout << text;
        return 0;
    }

    // Each command takes a fixed number of words; anything more is a typo to report.
    std::size_t expected_words = command == "admin" ? 5 : (command == "migrate" || command == "keys") ? 2 : 1;
    if (command_help(command) != nullptr && words.size() != expected_words) {
        std::cerr << "bijou " << command << ": wrong number of arguments\n\n" << command_help(command);
        return 2;
    }

    if (sodium_init() < 0) {
        std::cerr << "bijou: libsodium failed to initialize\n";
        return 1;
    }
    // Before any thread starts: libcurl's global set-up is not thread-safe.
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        std::cerr << "bijou: libcurl failed to initialize\n";
        return 1;
    }

    bijou::Config config;
    try {
        config = bijou::load_config(config_path ? config_path : default_config_path(), bijou::process_env);
    } catch (const bijou::ConfigError& error) {
        std::cerr << "bijou: invalid configuration: " << error.what() << "\n";
        return 2;
    }

    try {
        if (command == "serve") {
            bijou::log::init(config.log_level);
            return bijou::app::serve(config);
        }
        if (command == "worker") {
            bijou::log::init(config.log_level);
            return bijou::app::work(config);
        }
        if (command == "migrate") {
            std::string action = words.size() > 1 ? words[1] : "";
            if (action == "up") {
                int applied = bijou::db::migrate_up(config.database.url, std::cout);
                std::cout << (applied == 0 ? "database is up to date\n" : "");
                return 0;
            }
            if (action == "status") return bijou::db::migrate_status(config.database.url, std::cout) == 0 ? 0 : 1;
            std::cerr << "bijou migrate: unknown action \"" << action << "\"\n\n" << kMigrateHelp;
            return 2;
        }
        if (command == "keys") {
            if (words.size() > 1 && words[1] == "rotate") {
                bijou::auth::rotate_signing_key(config, std::cout);
                return 0;
            }
            if (words.size() > 1 && words[1] == "ensure") {
                bijou::auth::ensure_signing_key(config, std::cout);
                return 0;
            }
            std::cerr << "bijou keys: unknown action \"" << words[1] << "\"\n\n" << kKeysHelp;
            return 2;
        }
        if (command == "admin") {
            if (words[1] != "create") {
                std::cerr << "bijou admin: unknown action \"" << words[1] << "\"\n\n" << kAdminHelp;
                return 2;
            }
            auto role = bijou::admin::parse_role(words[4]);
            if (!role) {
                std::cerr << "bijou admin create: unknown role \"" << words[4] << "\"\n\n" << kAdminHelp;
                return 2;
            }
            auto password = bijou::process_env("BIJOU_ADMIN_PASSWORD");
            if (!password) {
                password.emplace();
                std::getline(std::cin, *password);
            }
            bijou::admin::create_admin(config, words[2], words[3], *role, *password, std::cout);
            return 0;
        }
        if (command == "seed") {
            bijou::catalog::load_seed(config.database.url, config.seed_dir, std::cout);
            return 0;
        }
    } catch (const std::exception& error) {
        std::cerr << "bijou " << command << ": " << error.what() << "\n";
        return 1;
    }

    std::cerr << "bijou: unknown command \"" << command << "\"\n\n" << kUsage;
    return 2;
}
