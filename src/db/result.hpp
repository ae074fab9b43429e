#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bijou::db {

// Thrown when PostgreSQL rejects a statement or a connection fails. `sqlstate` is the
// five-character SQLSTATE, empty for connection-level failures.
class DbError : public std::runtime_error {
public:
    DbError(const std::string& message, std::string sqlstate)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    bool is_connection_error() const noexcept { return sqlstate_.empty() || sqlstate_.starts_with("08"); }

private:
    std::string sqlstate_;
};

// The rows of one statement, in PostgreSQL's text format.
class Result {
public:
    Result() = default;
    explicit Result(PGresult* result) : result_(result, &PQclear) {}

    int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
    int affected_rows() const;
    // Column index by name; throws std::out_of_range for an unknown name.
    int column(const char* name) const;

    bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    std::string_view text(int row, int column) const;
    std::optional<std::string_view> optional_text(int row, int column) const;
    // optional_text() copied, for values kept past the result.
    std::optional<std::string> optional_string(int row, int column) const {
        auto value = optional_text(row, column);
        if (!value) return std::nullopt;
        return std::string(*value);
    }
    std::int64_t int64(int row, int column) const;
    std::optional<std::int64_t> optional_int64(int row, int column) const;
    bool boolean(int row, int column) const { return text(row, column) == "t"; }

private:
    std::shared_ptr<PGresult> result_;
};

// Positional statement parameters ($1, $2, ...) in text format; nullopt is SQL NULL.
class Params {
public:
    Params() = default;
    Params(std::initializer_list<std::optional<std::string>> values) : values_(values) {}

    Params& add(std::optional<std::string> value) {
        values_.push_back(std::move(value));
        return *this;
    }
    Params& add(std::int64_t value) { return add(std::to_string(value)); }
    Params& add(bool value) { return add(std::string(value ? "true" : "false")); }

    int size() const { return static_cast<int>(values_.size()); }
    const std::optional<std::string>& at(int index) const { return values_[static_cast<std::size_t>(index)]; }

private:
    std::vector<std::optional<std::string>> values_;
};

// A SQL statement embedded from a .sql file: its name (used as the prepared-statement
// name and in logs) and its text.
struct Statement {
    std::string_view name;
    std::string_view sql;
};

}  // namespace bijou::db
