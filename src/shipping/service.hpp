#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "cart/repository.hpp"
#include "core/error.hpp"
#include "shipping/rate_table.hpp"

namespace bijou::shipping {

// A shipping option for one cart and destination, with the delivery estimate the customer
// sees: the carrier's days plus handling plus the longest production lead time of the
// items (handmade pieces made to order).
struct Option {
    Quote quote;
    int days_min = 0;
    int days_max = 0;
    std::string deliver_from;  // YYYY-MM-DD, Brasília date
    std::string deliver_to;
};

// Prices the options for the lines of a cart. Throws ApiError(validation_failed) on the
// field "cep" when no option serves the destination.
std::vector<Option> options_for(const Carrier& carrier, int handling_days, const std::vector<cart::Line>& lines,
                                const Destination& destination, std::chrono::system_clock::time_point now);

boost::json::object option_json(const Option& option);

// Checks a CEP and returns the destination it stands for. Adds field errors to `errors`
// under `field` for a malformed CEP or one outside every state's range.
std::optional<Destination> destination_of(std::string_view cep_text, std::vector<FieldError>& errors,
                                          const std::string& field);

}  // namespace bijou::shipping
