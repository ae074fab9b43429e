#pragma once

#include "core/config.hpp"

namespace bijou::app {

// Runs `bijou worker` until SIGINT or SIGTERM: relays the outbox and runs jobs (e-mails
// for now). On a signal it stops taking jobs, lets running ones end and exits.
// Returns the process exit code.
int work(const Config& config);

}  // namespace bijou::app
