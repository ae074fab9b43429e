#pragma once

#include "admin/management.hpp"
#include "admin/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::admin {

// Registers the /v1/admin endpoints.
void add_routes(http::Pipeline& pipeline, AdminService& admins, AdminDirectory& directory);

}  // namespace bijou::admin
