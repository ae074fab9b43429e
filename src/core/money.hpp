#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bijou {

// An amount of Brazilian reais in centavos. Arithmetic is checked: an overflow yields
// std::nullopt instead of wrapping, because a wrapped price is a wrong charge.
class Money {
public:
    constexpr Money() = default;
    constexpr explicit Money(std::int64_t centavos) : centavos_(centavos) {}

    constexpr std::int64_t centavos() const { return centavos_; }
    static constexpr std::string_view currency() { return "BRL"; }

    std::optional<Money> plus(Money other) const;
    std::optional<Money> times(std::int64_t quantity) const;

    // Formats as Brazilians read prices: "R$ 1.234,56", "-R$ 0,99".
    std::string format_brl() const;

    auto operator<=>(const Money&) const = default;

private:
    std::int64_t centavos_ = 0;
};

// Parses a non-negative integer amount in centavos written as plain decimal digits
// (no sign, no separators), as the API's price filters take it.
std::optional<std::int64_t> parse_centavos(std::string_view text);

}  // namespace bijou
