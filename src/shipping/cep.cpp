#include "shipping/cep.hpp"

#include <algorithm>
#include <array>

namespace bijou::shipping {

namespace {

// First five digits (CEP prefix) ranges per state, as the Correios assign them.
struct Range {
    int first;
    int last;
    const char* uf;
};

constexpr std::array<Range, 30> kRanges{{
    {1000, 19999, "SP"}, {20000, 28999, "RJ"}, {29000, 29999, "ES"}, {30000, 39999, "MG"},
    {40000, 48999, "BA"}, {49000, 49999, "SE"}, {50000, 56999, "PE"}, {57000, 57999, "AL"},
    {58000, 58999, "PB"}, {59000, 59999, "RN"}, {60000, 63999, "CE"}, {64000, 64999, "PI"},
    {65000, 65999, "MA"}, {66000, 68899, "PA"}, {68900, 68999, "AP"}, {69000, 69299, "AM"},
    {69300, 69399, "RR"}, {69400, 69899, "AM"}, {69900, 69999, "AC"}, {70000, 72799, "DF"},
    {72800, 72999, "GO"}, {73000, 73699, "DF"}, {73700, 76799, "GO"}, {76800, 76999, "RO"},
    {77000, 77999, "TO"}, {78000, 78899, "MT"}, {79000, 79999, "MS"}, {80000, 87999, "PR"},
    {88000, 89999, "SC"}, {90000, 99999, "RS"},
}};

constexpr std::array<std::string_view, 27> kStates{"AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO",
                                                   "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
                                                   "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"};

}  // namespace

std::optional<std::string> normalize_cep(std::string_view text) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (!(c == '-' && i == 5 && text.size() == 9)) {
            return std::nullopt;
        }
    }
    if (digits.size() != 8) return std::nullopt;
    return digits;
}

std::optional<std::string> state_of_cep(std::string_view cep) {
    if (cep.size() != 8) return std::nullopt;
    int prefix = std::stoi(std::string(cep.substr(0, 5)));
    for (const auto& range : kRanges) {
        if (prefix >= range.first && prefix <= range.last) return std::string(range.uf);
    }
    return std::nullopt;
}

bool is_state(std::string_view uf) {
    return std::find(kStates.begin(), kStates.end(), uf) != kStates.end();
}

}  // namespace bijou::shipping
