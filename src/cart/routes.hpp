#pragma once

#include "auth/service.hpp"
#include "cart/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::cart {

// Registers GET /v1/cart and the /v1/cart/items endpoints.
void add_routes(http::Pipeline& pipeline, Service& carts, auth::AccountService& accounts);

// The cart owner of a request: the customer of a Bearer token (401 for a bad one) and the
// guest token of X-Cart-Token.
boost::asio::awaitable<Owner> owner_of(const http::Request& request, auth::AccountService& accounts);

}  // namespace bijou::cart
