#pragma once

#include <string>
#include <string_view>

namespace bijou::payments {

// Returns the 47-digit typeable line ("linha digitavel") of a 44-digit bank boleto
// barcode in FEBRABAN's layout. The barcode's bank, currency and free field are split into
// three blocks, each closed by a modulo-10 check digit. The barcode's general check digit,
// due-date factor and amount follow. Throws std::invalid_argument unless `barcode` is 44
// digits.
std::string boleto_digitable_line(std::string_view barcode);

// Returns `text` without the dots, spaces and other separators providers print in
// barcodes and typeable lines.
std::string digits_only(std::string_view text);

}  // namespace bijou::payments
