#include "payments/boleto.hpp"

#include <algorithm>
#include <stdexcept>

namespace bijou::payments {

namespace {

// Modulo-10 check digit: from the right, digits are weighted 2, 1, 2, 1, ...; a product
// above 9 counts as the sum of its digits.
char modulo10(std::string_view digits) {
    int sum = 0;
    int weight = 2;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int product = (*it - '0') * weight;
        sum += product > 9 ? product - 9 : product;
        weight = weight == 2 ? 1 : 2;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace

std::string boleto_digitable_line(std::string_view barcode) {
    bool valid = barcode.size() == 44 && std::ranges::all_of(barcode, [](char c) { return c >= '0' && c <= '9'; });
    if (!valid) throw std::invalid_argument("boleto barcode must have 44 digits, got '" + std::string(barcode) + "'");
    auto free_field = barcode.substr(19, 25);
    std::string block1 = std::string(barcode.substr(0, 4)) + std::string(free_field.substr(0, 5));
    std::string block2(free_field.substr(5, 10));
    std::string block3(free_field.substr(15, 10));
    std::string line;
    line += block1 + modulo10(block1);
    line += block2 + modulo10(block2);
    line += block3 + modulo10(block3);
    line += barcode[4];                          // general check digit
    line += std::string(barcode.substr(5, 14));  // due-date factor and amount
    return line;
}

std::string digits_only(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (c >= '0' && c <= '9') digits += c;
    }
    return digits;
}

}  // namespace bijou::payments
