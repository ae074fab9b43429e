#include "support/stack.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"

extern char** environ;

namespace bijou::testing {

namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> all;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string text(*entry);
        auto equals = text.find('=');
        if (equals != std::string::npos) all[text.substr(0, equals)] = text.substr(equals + 1);
    }
    for (const auto& [key, value] : extra) all[key] = value;
    std::vector<std::string> out;
    for (const auto& [key, value] : all) out.push_back(key + "=" + value);
    return out;
}

pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int output_fd) {
    auto environment = merged_environment(env);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (output_fd >= 0) {
            dup2(output_fd, STDOUT_FILENO);
            dup2(output_fd, STDERR_FILENO);
        }
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        std::vector<char*> envp;
        for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
        envp.push_back(nullptr);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
    return pid;
}

}  // namespace

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string(name) + " is not set; run the tests with `make test`");
    }
    return value;
}

int run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                std::string* output) {
    int pipe_fds[2];
    // Close-on-exec, so that daemons a command starts do not inherit the write end and
    // keep the pipe open after the command exits.
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = spawn(argv, env, pipe_fds[1]);
    close(pipe_fds[1]);
    std::string text;
    char buffer[4096];
    ssize_t size = 0;
    while ((size = read(pipe_fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(size));
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (output != nullptr) *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::map<std::string, std::string> stack_env() {
    return {
        {"DATABASE_URL", required_env("BIJOU_TEST_DATABASE_URL")},
        {"REDIS_URL", "redis://127.0.0.1:" + required_env("BIJOU_TEST_REDIS_PORT") + "/0"},
        {"BIJOU_SEED_DIR", required_env("BIJOU_SOURCE_DIR") + "/data/seed"},
        {"BIJOU_MEDIA_DIR", required_env("BIJOU_SOURCE_DIR") + "/data/seed/images"},
        {"BIJOU_LOG_LEVEL", "warn"},
        {"BIJOU_ENV", "test"},
        // Every test request comes from 127.0.0.1; rate_limit_test.cpp covers the budget.
        {"BIJOU_HTTP_RATE_LIMIT_PER_IP", "1000000000"},
    };
}

std::string fresh_database(const std::string& name) {
    auto admin = required_env("BIJOU_TEST_ADMIN_DATABASE_URL");
    std::string output;
    std::vector<std::string> drop{"/usr/bin/psql", admin, "-qc", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"};
    std::vector<std::string> create{"/usr/bin/psql", admin, "-qc", "CREATE DATABASE " + name + " OWNER bijou"};
    if (run_command(drop, {}, &output) != 0 || run_command(create, {}, &output) != 0) {
        throw std::runtime_error("cannot create database " + name + ": " + output);
    }

    auto base = required_env("BIJOU_TEST_DATABASE_URL");
    auto url = base.substr(0, base.rfind('/') + 1) + name;
    auto env = stack_env();
    env["DATABASE_URL"] = url;
    auto binary = required_env("BIJOU_BINARY");
    if (run_command({binary, "migrate", "up"}, env, &output) != 0) throw std::runtime_error("migrate failed: " + output);
    if (run_command({binary, "seed"}, env, &output) != 0) throw std::runtime_error("seed failed: " + output);
    if (run_command({binary, "keys", "ensure"}, env, &output) != 0) {
        throw std::runtime_error("keys ensure failed: " + output);
    }
    return url;
}

void set_redis_running(bool running) {
    std::vector<std::string> argv{"/bin/bash", required_env("BIJOU_SOURCE_DIR") + "/scripts/stack.sh",
                                  running ? "start-redis" : "stop-redis", required_env("BIJOU_TEST_STATE")};
    if (running) argv.push_back(required_env("BIJOU_TEST_REDIS_PORT"));
    std::string output;
    if (run_command(argv, {}, &output) != 0) throw std::runtime_error("scripts/stack.sh failed: " + output);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                           const std::string& log_name) {
    auto log_path = required_env("BIJOU_TEST_STATE") + "/" + log_name + ".log";
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_ = spawn(argv, env, log_fd);
    close(log_fd);
}

ChildProcess::~ChildProcess() {
    stop(SIGTERM);
}

int ChildProcess::stop(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool open = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        close(fd);
        if (open) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("nothing listens on 127.0.0.1:" + std::to_string(port));
}

ServerProcess::ServerProcess(std::uint16_t port, std::map<std::string, std::string> env) : port_(port) {
    env["BIJOU_HTTP_PORT"] = std::to_string(port);
    env["BIJOU_HTTP_PUBLIC_BASE_URL"] = "http://127.0.0.1:" + std::to_string(port);
    auto log_path = required_env("BIJOU_TEST_STATE") + "/serve-" + std::to_string(port) + ".log";
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_ = spawn({required_env("BIJOU_BINARY"), "serve"}, env, log_fd);
    close(log_fd);

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (get(port_, "/healthz").result_int() == 200) return;
        } catch (const std::exception&) {
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("bijou serve exited at start-up; see " + log_path);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("bijou serve did not answer on port " + std::to_string(port));
}

ServerProcess::~ServerProcess() {
    stop();
}

int ServerProcess::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace bijou::testing
