#include "core/cpf.hpp"

#include <algorithm>

namespace bijou {

namespace {

// Check digit over the first `count` digits, with weights count+1 down to 2.
int check_digit(const std::string& digits, int count) {
    int sum = 0;
    for (int i = 0; i < count; ++i) sum += (digits[static_cast<std::size_t>(i)] - '0') * (count + 1 - i);
    int remainder = sum % 11;
    return remainder < 2 ? 0 : 11 - remainder;
}

}  // namespace

std::optional<std::string> normalize_cpf(std::string_view text) {
    std::string digits;
    bool formatted = text.size() == 14;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
            continue;
        }
        // Punctuation is accepted only in the standard places: 000.000.000-00.
        bool expected = formatted && ((c == '.' && (i == 3 || i == 7)) || (c == '-' && i == 11));
        if (!expected) return std::nullopt;
    }
    if (digits.size() != 11) return std::nullopt;
    if (formatted && (text[3] != '.' || text[7] != '.' || text[11] != '-')) return std::nullopt;
    if (std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; })) return std::nullopt;
    if (check_digit(digits, 9) != digits[9] - '0') return std::nullopt;
    if (check_digit(digits, 10) != digits[10] - '0') return std::nullopt;
    return digits;
}

}  // namespace bijou
