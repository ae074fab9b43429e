#include "db/blocking.hpp"

#include <vector>

namespace bijou::db {

BlockingConnection::BlockingConnection(const std::string& url) {
    const char* keywords[] = {"dbname", "options", "application_name", nullptr};
    const char* values[] = {url.c_str(), "-c TimeZone=UTC -c client_min_messages=warning", "bijou-cli", nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
        while (!message.empty() && message.back() == '\n') message.pop_back();
        PQfinish(conn_);
        throw DbError("cannot connect to PostgreSQL: " + message, "");
    }
}

BlockingConnection::~BlockingConnection() {
    PQfinish(conn_);
}

Result BlockingConnection::check(PGresult* raw, std::string_view what) {
    Result result(raw);
    auto status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw DbError(std::string(what) + ": " + message, state ? state : "");
}

Result BlockingConnection::exec(const std::string& sql) {
    return check(PQexec(conn_, sql.c_str()), "SQL command failed");
}

Result BlockingConnection::exec(const Statement& statement, const Params& params) {
    std::vector<const char*> values(static_cast<std::size_t>(params.size()));
    for (int i = 0; i < params.size(); ++i) {
        const auto& value = params.at(i);
        values[static_cast<std::size_t>(i)] = value ? value->c_str() : nullptr;
    }
    std::string sql(statement.sql);
    return check(PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0),
                 statement.name);
}

}  // namespace bijou::db
