#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bijou::shipping {

// The destination of a parcel.
struct Destination {
    std::string cep;  // 8 digits
    std::string uf;
};

// The contents of a parcel.
struct Parcel {
    std::int64_t weight_grams = 0;
    // Sum of the items' prices, in centavos, for free-shipping rules and insurance.
    std::int64_t declared_value = 0;
};

// One way to ship, as a carrier quotes it. Delivery days count from the day the parcel is
// handed over, so the shop's own handling and production days come on top.
struct Quote {
    std::string code;  // stable id stored on the order, ^[a-z0-9_]{1,40}$
    std::string name_pt;
    std::string name_en;
    std::int64_t price = 0;  // centavos
    int days_min = 0;
    int days_max = 0;
};

// A source of shipping quotes. The table-rate carrier is built in, and adapters for real
// carriers (Correios, Melhor Envio) implement the same contract (docs/shipping.md).
// quote() runs once per quote request and per checkout and must return within a few
// seconds. It returns an empty list for a destination it cannot serve and throws
// std::runtime_error when the carrier is unreachable.
class Carrier {
public:
    virtual ~Carrier() = default;
    virtual std::vector<Quote> quote(const Destination& destination, const Parcel& parcel) const = 0;
};

}  // namespace bijou::shipping
