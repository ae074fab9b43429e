#include "db/migrator.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "db/blocking.hpp"
#include "migrations_embedded.hpp"

namespace bijou::db {

namespace {

// Key of the advisory lock that serializes migration runs ("bijou" in ASCII).
constexpr std::string_view kLockKey = "426975106";

std::string sha256_hex(std::string_view text) {
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

const char* kCreateTable = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
))";

std::map<int, std::pair<std::string, std::string>> applied_migrations(BlockingConnection& connection) {
    std::map<int, std::pair<std::string, std::string>> applied;
    auto exists = connection.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists.boolean(0, 0)) return applied;
    auto rows = connection.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    for (int row = 0; row < rows.rows(); ++row) {
        applied[static_cast<int>(rows.int64(row, 0))] = {std::string(rows.text(row, 1)), std::string(rows.text(row, 2))};
    }
    return applied;
}

}  // namespace

std::vector<Migration> embedded_migrations() {
    std::vector<Migration> migrations;
    for (const auto& [file, sql] : migrations_files::entries) {
        auto underscore = file.find('_');
        int version = 0;
        try {
            version = std::stoi(std::string(file.substr(0, underscore)));
        } catch (const std::exception&) {
            throw std::logic_error("migration file name must start with a number: " + std::string(file));
        }
        auto name = std::string(file.substr(0, file.size() - 4));  // without ".sql"
        migrations.push_back(Migration{version, name, sql, sha256_hex(sql)});
    }
    std::ranges::sort(migrations, {}, &Migration::version);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version) {
            throw std::logic_error("two migrations share version " + std::to_string(migrations[i].version));
        }
    }
    return migrations;
}

int migrate_up(const std::string& database_url, std::ostream& out) {
    BlockingConnection connection(database_url);
    connection.exec("SELECT pg_advisory_lock(" + std::string(kLockKey) + ")");
    int count = 0;
    try {
        connection.exec(kCreateTable);
        auto applied = applied_migrations(connection);
        for (const auto& migration : embedded_migrations()) {
            auto found = applied.find(migration.version);
            if (found != applied.end()) {
                if (found->second.second != migration.checksum) {
                    throw std::runtime_error("migration " + migration.name +
                                             " was changed after it was applied; add a new migration instead");
                }
                continue;
            }
            connection.exec("BEGIN");
            try {
                connection.exec(std::string(migration.sql));
                connection.exec(Statement{"migrations.record",
                                          "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"},
                                Params{std::to_string(migration.version), migration.name, migration.checksum});
                connection.exec("COMMIT");
            } catch (...) {
                connection.exec("ROLLBACK");
                throw;
            }
            out << "applied " << migration.name << "\n";
            ++count;
        }
    } catch (...) {
        connection.exec("SELECT pg_advisory_unlock(" + std::string(kLockKey) + ")");
        throw;
    }
    connection.exec("SELECT pg_advisory_unlock(" + std::string(kLockKey) + ")");
    return count;
}

int migrate_status(const std::string& database_url, std::ostream& out) {
    BlockingConnection connection(database_url);
    auto applied = applied_migrations(connection);
    int pending = 0;
    for (const auto& migration : embedded_migrations()) {
        auto found = applied.find(migration.version);
        if (found == applied.end()) {
            out << "pending  " << migration.name << "\n";
            ++pending;
        } else if (found->second.second != migration.checksum) {
            out << "changed  " << migration.name << " (applied text differs from this build)\n";
        } else {
            out << "applied  " << migration.name << "\n";
        }
    }
    return pending;
}

}  // namespace bijou::db
