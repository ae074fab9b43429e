#include "support/oidc_provider.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"
#include "support/stack.hpp"

extern char** environ;

namespace bijou::testing {

namespace {

// Finds `program` in the directories of PATH, as a shell would.
std::string find_in_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream directories(path == nullptr ? "" : path);
    std::string directory;
    while (std::getline(directories, directory, ':')) {
        auto candidate = directory + "/" + program;
        if (!directory.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    throw std::runtime_error(program + " not found in PATH; run scripts/install-deps.sh");
}

void post_json(std::uint16_t port, const std::string& target, const boost::json::object& body) {
    auto response = request(port, boost::beast::http::verb::post, target, {{"Content-Type", "application/json"}},
                            boost::json::serialize(body));
    if (response.result_int() != 200) throw std::runtime_error(target + " returned " + std::to_string(response.result_int()));
}

}  // namespace

OidcProviderProcess::OidcProviderProcess(std::uint16_t port, const std::vector<std::string>& redirect_uris,
                                         const std::string& client_secret)
    : port_(port) {
    std::string uris;
    for (const auto& uri : redirect_uris) uris += (uris.empty() ? "" : ",") + uri;
    std::vector<std::string> environment{"OIDC_TEST_REDIRECT_URIS=" + uris, "OIDC_TEST_CLIENT_SECRET=" + client_secret};
    for (char** entry = environ; *entry != nullptr; ++entry) environment.emplace_back(*entry);
    std::vector<char*> envp;
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);

    auto node = find_in_path("node");
    auto script = required_env("BIJOU_SOURCE_DIR") + "/tests/tools/oidc-provider.mjs";
    auto port_text = std::to_string(port);
    std::vector<char*> argv{node.data(), script.data(), port_text.data(), nullptr};

    auto log_path = required_env("BIJOU_TEST_STATE") + "/oidc-provider-" + port_text + ".log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    int spawned = posix_spawn(&pid_, node.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) throw std::runtime_error("cannot start " + node + " " + script);

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (get(port_, "/.well-known/openid-configuration").result_int() == 200) return;
        } catch (const std::exception&) {
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("the OpenID Connect test provider exited at start-up; see " + log_path);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("the OpenID Connect test provider did not answer on port " + port_text + "; see " + log_path);
}

OidcProviderProcess::~OidcProviderProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
}

void OidcProviderProcess::add_account(const std::string& sub, const std::string& email,
                                      const boost::json::value& email_verified, const std::string& name) {
    post_json(port_, "/__test/accounts", {{"sub", sub}, {"email", email}, {"email_verified", email_verified}, {"name", name}});
}

void OidcProviderProcess::alter_next_id_token(const std::string& mode) {
    post_json(port_, "/__test/next-id-token", {{"mode", mode}});
}

int OidcProviderProcess::token_requests() {
    auto response = get(port_, "/__test/token-requests");
    return static_cast<int>(json_body(response).as_object().at("count").as_int64());
}

}  // namespace bijou::testing
