#pragma once

#include "catalog/service.hpp"
#include "http/pipeline.hpp"

namespace bijou::catalog {

// Registers the public catalog endpoints under /v1.
void add_routes(http::Pipeline& pipeline, Service& service, const Config& config);

}  // namespace bijou::catalog
