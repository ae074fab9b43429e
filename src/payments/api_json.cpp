#include "payments/api_json.hpp"

#include <boost/json/object.hpp>

#include <charconv>
#include <cstdio>

namespace bijou::payments {

namespace json = boost::json;

const json::value* find_path(const json::value& root, std::initializer_list<std::string_view> path) {
    const json::value* current = &root;
    for (auto key : path) {
        const auto* object = current->if_object();
        if (object == nullptr) return nullptr;
        current = object->if_contains(key);
        if (current == nullptr) return nullptr;
    }
    return current;
}

std::string text_at(const json::value& root, std::initializer_list<std::string_view> path) {
    const auto* found = find_path(root, path);
    if (found == nullptr) return "";
    if (const auto* text = found->if_string()) return std::string(*text);
    if (const auto* number = found->if_int64()) return std::to_string(*number);
    if (const auto* number = found->if_uint64()) return std::to_string(*number);
    return "";
}

namespace {

bool read_number(std::string_view text, std::size_t position, std::size_t length, int& out) {
    if (position + length > text.size()) return false;
    for (std::size_t i = position; i < position + length; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    std::from_chars(text.data() + position, text.data() + position + length, out);
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    int year = 0, month_number = 0, day_number = 0, hour = 0, minute = 0, second = 0;

    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
        text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    if (!read_number(text, 0, 4, year) || !read_number(text, 5, 2, month_number) ||
        !read_number(text, 8, 2, day_number) || !read_number(text, 11, 2, hour) || !read_number(text, 14, 2, minute) ||
        !read_number(text, 17, 2, second)) {
        return std::nullopt;
    }

    std::size_t position = 19;
    milliseconds fraction{0};
    if (position < text.size() && text[position] == '.') {
        ++position;
        int scale = 100;
        while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
            fraction += milliseconds((text[position] - '0') * scale);
            scale /= 10;
            ++position;
        }
    }

    minutes offset{0};
    if (position < text.size() && (text[position] == 'Z' || text[position] == 'z')) {
        ++position;
    } else if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
        int offset_hours = 0, offset_minutes = 0;
        if (!read_number(text, position + 1, 2, offset_hours) || position + 3 >= text.size() ||
            text[position + 3] != ':' || !read_number(text, position + 4, 2, offset_minutes)) {
            return std::nullopt;
        }
        offset = hours(offset_hours) + minutes(offset_minutes);
        if (text[position] == '-') offset = -offset;
        position += 6;
    } else {
        return std::nullopt;
    }
    if (position != text.size()) return std::nullopt;

    year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month_number)),
                        std::chrono::day(static_cast<unsigned>(day_number))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    auto local = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) + fraction;
    return time_point_cast<system_clock::duration>(local - offset);
}

std::string format_brasilia_time(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    auto local = floor<milliseconds>(time) - hours(3);
    auto day_start = floor<days>(local);
    year_month_day date(day_start);
    hh_mm_ss clock(local - day_start);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03d-03:00", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return text;
}

}  // namespace bijou::payments
