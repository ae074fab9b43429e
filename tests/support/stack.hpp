#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bijou::testing {

// Reads a variable that scripts/test.sh exports; fails the test run when it is missing.
std::string required_env(const char* name);

// Runs a command to completion and returns its exit status; output goes to `output`.
int run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                std::string* output = nullptr);

// The environment the bijou binary needs to reach the test stack.
std::map<std::string, std::string> stack_env();

// Creates an empty database on the test cluster, migrated and seeded, and returns its URL.
// Each test binary uses its own database so binaries can run in any order.
std::string fresh_database(const std::string& name);

// Stops or starts the test stack's Redis server through scripts/stack.sh, to test how
// the server behaves without it. Throws std::runtime_error with the script's output.
void set_redis_running(bool running);

// A child process whose output goes to BIJOU_TEST_STATE/<log_name>.log, stopped with
// SIGTERM on destruction.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                 const std::string& log_name);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Sends `signal` and waits for the exit; returns the exit status (128 + signal when
    // killed by one), or -1 when already stopped.
    int stop(int signal);

private:
    pid_t pid_ = -1;
};

// Waits until something accepts TCP connections on 127.0.0.1:port; throws after `timeout`.
void wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout);

// A `bijou serve` child process on 127.0.0.1:port, stopped with SIGTERM on destruction.
class ServerProcess {
public:
    ServerProcess(std::uint16_t port, std::map<std::string, std::string> env);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    // Sends SIGTERM and waits; returns the exit status.
    int stop();

private:
    std::uint16_t port_;
    pid_t pid_ = -1;
};

}  // namespace bijou::testing
