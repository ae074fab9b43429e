#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace bijou::payments {

// One call to a provider's REST API.
struct ApiRequest {
    // "GET" or "POST".
    std::string method = "GET";
    std::string url;
    // Complete header lines, e.g. "Content-Type: application/json".
    std::vector<std::string> headers;
    std::string body;
    // HTTP basic authentication with this user name and an empty password, when set.
    std::string basic_auth_user;
};

// A provider's HTTP response.
struct ApiResponse {
    int status = 0;
    std::string body;
};

// Sends provider API calls with libcurl. libcurl blocks, so transfers run on a small
// thread pool of their own and the calling coroutine's thread keeps serving. TLS
// certificates and host names are always verified, redirects are not followed, and only
// http and https URLs are allowed.
// NOTE: net::HttpFetcher does the same for OpenID Connect; one client could serve both.
class ApiClient {
public:
    ApiClient(std::chrono::milliseconds timeout, std::size_t max_response_bytes);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    // Sends `request` and returns any response, 4xx and 5xx included. Throws ProviderError
    // (retryable) when no response arrives in time, and ProviderError (not retryable) when
    // the response is larger than max_response_bytes.
    boost::asio::awaitable<ApiResponse> send(const ApiRequest& request);

private:
    boost::asio::awaitable<ApiResponse> transfer(const ApiRequest& request) const;
    ApiResponse perform(const ApiRequest& request) const;

    std::chrono::milliseconds timeout_;
    std::size_t max_response_bytes_;
    boost::asio::thread_pool threads_;
};

// Throws ProviderError for a response that is not 2xx: retryable for 408, 429 and 5xx,
// which may succeed later, and not retryable for other statuses. `detail` is the
// provider's error text, added to the message.
void throw_for_status(std::string_view provider, std::string_view operation, const ApiResponse& response,
                      std::string_view detail);

// Escapes text for a URL path segment or a form value (RFC 3986 unreserved characters
// stay, everything else becomes %XX).
std::string percent_encode(std::string_view text);

}  // namespace bijou::payments
