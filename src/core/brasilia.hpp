#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace bijou {

// Brasília time (BRT), the shop's calendar for due dates and delivery estimates. Brazil has
// kept it at UTC-3 all year since daylight saving time ended in 2019.
inline constexpr std::chrono::hours kBrasiliaOffset{-3};

// The calendar date in Brasília at `time`.
inline std::chrono::sys_days brasilia_date(std::chrono::system_clock::time_point time) {
    return std::chrono::floor<std::chrono::days>(time + kBrasiliaOffset);
}

// Formats a date as YYYY-MM-DD.
inline std::string iso_date(std::chrono::sys_days day) {
    std::chrono::year_month_day date{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return text;
}

}  // namespace bijou
