#include "core/money.hpp"

#include <charconv>

namespace bijou {

std::optional<Money> Money::plus(Money other) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(centavos_, other.centavos_, &sum)) return std::nullopt;
    return Money(sum);
}

std::optional<Money> Money::times(std::int64_t quantity) const {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(centavos_, quantity, &product)) return std::nullopt;
    return Money(product);
}

std::string Money::format_brl() const {
    // Work on the magnitude as unsigned so that INT64_MIN does not overflow on negation.
    bool negative = centavos_ < 0;
    std::uint64_t magnitude = negative ? ~static_cast<std::uint64_t>(centavos_) + 1
                                       : static_cast<std::uint64_t>(centavos_);
    std::string reais = std::to_string(magnitude / 100);
    std::string grouped;
    for (std::size_t i = 0; i < reais.size(); ++i) {
        if (i > 0 && (reais.size() - i) % 3 == 0) grouped.push_back('.');
        grouped.push_back(reais[i]);
    }
    auto cents = magnitude % 100;
    std::string out = negative ? "-R$ " : "R$ ";
    out += grouped;
    out.push_back(',');
    out.push_back(static_cast<char>('0' + cents / 10));
    out.push_back(static_cast<char>('0' + cents % 10));
    return out;
}

std::optional<std::int64_t> parse_centavos(std::string_view text) {
    if (text.empty() || text.size() > 15) return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace bijou
