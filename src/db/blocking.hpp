#pragma once

#include <string>

#include "db/result.hpp"

namespace bijou::db {

// A plain blocking libpq connection for command-line tasks (migrate, seed), where no
// I/O thread is waiting. The server uses Pool instead.
class BlockingConnection {
public:
    explicit BlockingConnection(const std::string& url);
    ~BlockingConnection();
    BlockingConnection(const BlockingConnection&) = delete;
    BlockingConnection& operator=(const BlockingConnection&) = delete;

    // Runs one or more SQL commands without parameters. Throws DbError on failure.
    Result exec(const std::string& sql);
    // Runs one statement with parameters. Throws DbError on failure.
    Result exec(const Statement& statement, const Params& params);

private:
    Result check(PGresult* result, std::string_view what);
    PGconn* conn_;
};

}  // namespace bijou::db
