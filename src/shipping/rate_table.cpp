#include "shipping/rate_table.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config_files.hpp"
#include "shipping/cep.hpp"

namespace bijou::shipping {

namespace {

std::int64_t non_negative(const YAML::Node& node, const std::string& where) {
    if (!node || !node.IsScalar()) throw std::invalid_argument(where + ": missing");
    auto value = node.as<std::int64_t>();
    if (value < 0) throw std::invalid_argument(where + ": must not be negative");
    return value;
}

}  // namespace

RateTable RateTable::parse(std::string_view yaml_text) {
    RateTable table;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
        table.free_shipping_threshold_ = non_negative(root["free_shipping_threshold"], "free_shipping_threshold");
        table.handling_days_ = static_cast<int>(non_negative(root["handling_days"], "handling_days"));
        if (!root["regions"] || !root["regions"].IsMap()) throw std::invalid_argument("regions: missing");
        for (const auto& entry : root["regions"]) {
            auto name = entry.first.as<std::string>();
            const auto& node = entry.second;
            Region region;
            for (const char* option : {"economy", "express"}) {
                auto where = "regions." + name + "." + option;
                const auto& rate_node = node[option];
                if (!rate_node || !rate_node.IsMap()) throw std::invalid_argument(where + ": missing");
                Rate rate;
                rate.price = non_negative(rate_node["price"], where + ".price");
                rate.per_extra_kg = non_negative(rate_node["per_extra_kg"], where + ".per_extra_kg");
                const auto& days = rate_node["days"];
                if (!days || !days.IsSequence() || days.size() != 2) {
                    throw std::invalid_argument(where + ".days: expected [minimum, maximum]");
                }
                rate.days_min = days[0].as<int>();
                rate.days_max = days[1].as<int>();
                if (rate.days_min < 0 || rate.days_max < rate.days_min) {
                    throw std::invalid_argument(where + ".days: expected 0 <= minimum <= maximum");
                }
                (std::string(option) == "economy" ? region.economy : region.express) = rate;
            }
            if (!node["states"] || !node["states"].IsSequence()) throw std::invalid_argument("regions." + name + ".states: missing");
            for (const auto& state : node["states"]) {
                auto uf = state.as<std::string>();
                if (!is_state(uf)) throw std::invalid_argument("regions." + name + ".states: unknown state " + uf);
                if (!table.region_by_state_.emplace(uf, name).second) {
                    throw std::invalid_argument("regions." + name + ".states: " + uf + " is in two regions");
                }
            }
            table.regions_[name] = region;
        }
    } catch (const YAML::Exception& error) {
        throw std::invalid_argument(std::string("invalid YAML: ") + error.what());
    }
    return table;
}

RateTable RateTable::load(const std::optional<std::string>& path) {
    if (!path) return parse(config_files::k_shipping);
    std::ifstream in(*path);
    if (!in) throw std::invalid_argument("cannot read shipping rates " + *path);
    std::stringstream text;
    text << in.rdbuf();
    try {
        return parse(text.str());
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(*path + ": " + error.what());
    }
}

std::optional<std::string> RateTable::region_of(std::string_view uf) const {
    auto found = region_by_state_.find(std::string(uf));
    if (found == region_by_state_.end()) return std::nullopt;
    return found->second;
}

std::vector<Quote> RateTable::quote(const Destination& destination, const Parcel& parcel) const {
    auto region_name = region_of(destination.uf);
    if (!region_name) return {};
    const auto& region = regions_.at(*region_name);
    std::int64_t extra_kg = parcel.weight_grams > 1000 ? (parcel.weight_grams - 1000 + 999) / 1000 : 0;
    auto price = [&](const Rate& rate) { return rate.price + extra_kg * rate.per_extra_kg; };

    Quote economy{"economy", "Econômica", "Economy", price(region.economy), region.economy.days_min,
                  region.economy.days_max};
    if (free_shipping_threshold_ > 0 && parcel.declared_value >= free_shipping_threshold_) economy.price = 0;
    Quote express{"express", "Expressa", "Express", price(region.express), region.express.days_min,
                  region.express.days_max};
    return {economy, express};
}

}  // namespace bijou::shipping
