#pragma once

#include "auth/service.hpp"
#include "cart/service.hpp"
#include "http/pipeline.hpp"
#include "shipping/address_book.hpp"
#include "shipping/rate_table.hpp"

namespace bijou::shipping {

// Registers /v1/me/addresses and POST /v1/shipping/quote.
void add_routes(http::Pipeline& pipeline, AddressBook& addresses, const RateTable& rates, cart::Service& carts,
                auth::AccountService& accounts, db::Pool& pool);

}  // namespace bijou::shipping
