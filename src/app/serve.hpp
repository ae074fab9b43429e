#pragma once

#include "core/config.hpp"

namespace bijou::app {

// Runs the HTTP API until SIGINT or SIGTERM, then drains: stops accepting, reports not
// ready, finishes requests in flight for up to http.drain_timeout_ms and exits.
// Returns the process exit code.
int serve(const Config& config);

}  // namespace bijou::app
