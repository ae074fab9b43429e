#include "shipping/service.hpp"

#include <boost/json.hpp>
#include <algorithm>

#include "core/brasilia.hpp"
#include "core/error.hpp"
#include "shipping/cep.hpp"

namespace bijou::shipping {

namespace json = boost::json;

namespace {

std::string date_after(std::chrono::system_clock::time_point now, int days) {
    return iso_date(brasilia_date(now) + std::chrono::days(days));
}

}  // namespace

std::optional<Destination> destination_of(std::string_view cep_text, std::vector<FieldError>& errors,
                                          const std::string& field) {
    auto cep = normalize_cep(cep_text);
    if (!cep) {
        errors.push_back(FieldError{field, "invalid_cep", {}});
        return std::nullopt;
    }
    auto uf = state_of_cep(*cep);
    if (!uf) {
        errors.push_back(FieldError{field, "unknown_cep", {}});
        return std::nullopt;
    }
    return Destination{*cep, *uf};
}

std::vector<Option> options_for(const Carrier& carrier, int handling_days, const std::vector<cart::Line>& lines,
                                const Destination& destination, std::chrono::system_clock::time_point now) {
    Parcel parcel;
    std::int64_t lead_time = 0;
    for (const auto& line : lines) {
        parcel.weight_grams += line.weight_grams * line.quantity;
        parcel.declared_value += line.line_total();
        lead_time = std::max(lead_time, line.lead_time_days);
    }
    std::vector<Option> options;
    for (auto& quote : carrier.quote(destination, parcel)) {
        Option option;
        option.days_min = quote.days_min + handling_days + static_cast<int>(lead_time);
        option.days_max = quote.days_max + handling_days + static_cast<int>(lead_time);
        option.deliver_from = date_after(now, option.days_min);
        option.deliver_to = date_after(now, option.days_max);
        option.quote = std::move(quote);
        options.push_back(std::move(option));
    }
    if (options.empty()) {
        throw ApiError(ErrorCode::validation_failed, "no shipping option serves " + destination.uf, {},
                       {FieldError{"cep", "not_served", {}}});
    }
    return options;
}

json::object option_json(const Option& option) {
    return {{"code", option.quote.code},
            {"name", option.quote.name_pt},
            {"name_en", option.quote.name_en},
            {"price", option.quote.price},
            {"free", option.quote.price == 0},
            {"days_min", option.days_min},
            {"days_max", option.days_max},
            {"estimated_delivery", json::object{{"from", option.deliver_from}, {"to", option.deliver_to}}}};
}

}  // namespace bijou::shipping
