#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace bijou::db {

// One numbered migration from migrations/NNNN_description.sql, embedded at build time.
struct Migration {
    int version = 0;
    std::string name;
    std::string_view sql;
    std::string checksum;
};

// The embedded migrations in version order. Throws std::logic_error for a file name
// without a number or for two files with one number.
std::vector<Migration> embedded_migrations();

// Applies every pending migration, each in its own transaction, under a PostgreSQL
// advisory lock so that concurrent runs (several pods starting at once) apply each one
// exactly once. Refuses to run when an applied migration's text has changed.
// Writes one line per applied migration to `out`; returns how many were applied.
int migrate_up(const std::string& database_url, std::ostream& out);

// Writes applied and pending migrations to `out`; returns the number pending.
int migrate_status(const std::string& database_url, std::ostream& out);

}  // namespace bijou::db
