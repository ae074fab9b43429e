#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bijou {

// Validates a CPF (Brazilian individual taxpayer number) by its two check digits and
// returns its 11 digits, or nullopt. Accepts "529.982.247-25" and "52998224725". Numbers
// with all digits equal pass the arithmetic but are never issued, so they are rejected.
std::optional<std::string> normalize_cpf(std::string_view text);

}  // namespace bijou
