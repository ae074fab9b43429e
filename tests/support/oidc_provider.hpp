#pragma once

#include <sys/types.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace bijou::testing {

// The OpenID Connect provider of tests/tools/oidc-provider.mjs as a child process on
// 127.0.0.1:port. It registers the clients bijou-rs256 and bijou-es256, which sign ID
// tokens with RS256 and ES256, both with `client_secret` and `redirect_uris`. Stopped with
// SIGTERM, by its process id, on destruction.
class OidcProviderProcess {
public:
    OidcProviderProcess(std::uint16_t port, const std::vector<std::string>& redirect_uris, const std::string& client_secret);
    ~OidcProviderProcess();
    OidcProviderProcess(const OidcProviderProcess&) = delete;
    OidcProviderProcess& operator=(const OidcProviderProcess&) = delete;

    std::uint16_t port() const { return port_; }
    std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // Adds or replaces an end-user account: `sub` is also the login_hint that picks it.
    // The ID token carries `email_verified` as given, so a test can also send the string
    // form ("true" or "false") that Sign in with Apple uses.
    void add_account(const std::string& sub, const std::string& email, const boost::json::value& email_verified,
                     const std::string& name);
    // Alters the ID token of the next token response only; see the modes in the script.
    void alter_next_id_token(const std::string& mode);
    // Number of requests the token endpoint has received.
    int token_requests();

private:
    std::uint16_t port_;
    pid_t pid_ = -1;
};

}  // namespace bijou::testing
