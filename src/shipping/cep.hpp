#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bijou::shipping {

// Returns the 8 digits of a CEP written as "01310100" or "01310-100", or nullopt.
std::optional<std::string> normalize_cep(std::string_view text);

// The state (UF) whose CEP range holds `cep` (8 digits), from the Correios ranges, or
// nullopt for a CEP outside every range (such as 00000000).
std::optional<std::string> state_of_cep(std::string_view cep);

bool is_state(std::string_view uf);

}  // namespace bijou::shipping
