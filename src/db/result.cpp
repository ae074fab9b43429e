#include "db/result.hpp"

#include <charconv>
#include <stdexcept>

namespace bijou::db {

int Result::affected_rows() const {
    const char* count = PQcmdTuples(result_.get());
    return count && *count ? std::stoi(count) : 0;
}

int Result::column(const char* name) const {
    int index = PQfnumber(result_.get(), name);
    if (index < 0) throw std::out_of_range(std::string("no column named ") + name);
    return index;
}

std::string_view Result::text(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::optional<std::string_view> Result::optional_text(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return text(row, column);
}

std::int64_t Result::int64(int row, int column) const {
    auto value = text(row, column);
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc{} || end != value.data() + value.size()) {
        throw std::runtime_error("column " + std::to_string(column) + " is not an integer");
    }
    return out;
}

std::optional<std::int64_t> Result::optional_int64(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return int64(row, column);
}

}  // namespace bijou::db
