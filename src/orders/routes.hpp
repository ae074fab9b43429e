#pragma once

#include "admin/service.hpp"
#include "auth/service.hpp"
#include "http/pipeline.hpp"
#include "orders/service.hpp"

namespace bijou::orders {

// Registers the customer's /v1/orders and the admin's /v1/admin/orders endpoints.
void add_routes(http::Pipeline& pipeline, Service& orders, auth::AccountService& accounts, admin::AdminService& admins);

}  // namespace bijou::orders
