#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shipping/carrier.hpp"

namespace bijou::shipping {

// Shipping priced from a YAML table of regions (config/shipping.yaml): per region a base
// price for the first kilogram, a price per further kilogram, and delivery days, for the
// options economy and express. Economy is free from free_shipping_threshold up.
class RateTable final : public Carrier {
public:
    // Parses the table. Throws std::invalid_argument naming the bad entry.
    static RateTable parse(std::string_view yaml_text);
    // The table embedded in the binary from config/shipping.yaml, or the file at `path`.
    static RateTable load(const std::optional<std::string>& path);

    std::vector<Quote> quote(const Destination& destination, const Parcel& parcel) const override;

    int handling_days() const { return handling_days_; }
    std::int64_t free_shipping_threshold() const { return free_shipping_threshold_; }
    // The region of a state, such as "sudeste" for SP.
    std::optional<std::string> region_of(std::string_view uf) const;

private:
    struct Rate {
        std::int64_t price = 0;
        std::int64_t per_extra_kg = 0;
        int days_min = 0;
        int days_max = 0;
    };
    struct Region {
        Rate economy;
        Rate express;
    };

    std::map<std::string, Region> regions_;
    std::map<std::string, std::string> region_by_state_;
    std::int64_t free_shipping_threshold_ = 0;
    int handling_days_ = 0;
};

}  // namespace bijou::shipping
