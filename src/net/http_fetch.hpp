#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bijou::net {

// One outbound HTTP request. Redirects are never followed.
struct FetchRequest {
    std::string url;
    // When set, the request is a POST with this application/x-www-form-urlencoded body.
    std::optional<std::string> form_body;
    // Extra header lines such as "Authorization: Basic ...".
    std::vector<std::string> headers;
    // Limit for the whole exchange, connection and TLS handshake included.
    std::chrono::milliseconds timeout{5000};
    // A longer response body fails with FetchError.
    std::size_t max_response_bytes = 256 * 1024;
};

struct FetchResponse {
    long status = 0;
    std::string content_type;
    std::string body;
};

// A transport failure: DNS, connection, TLS, timeout, a scheme other than http or https,
// or a body over max_response_bytes. HTTP error statuses are not failures.
class FetchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs the request with libcurl on the calling thread, which it blocks.
FetchResponse fetch_blocking(const FetchRequest& request);

// Runs outbound HTTP requests with libcurl on a bounded thread pool, so that the I/O
// threads never block on a slow remote server. At most `threads` requests run at once and
// at most `max_pending` run or wait. Past that, fetch() throws
// ApiError(service_unavailable) at once instead of queueing without bound. Shared by all
// I/O threads.
class HttpFetcher {
public:
    HttpFetcher(std::size_t threads, std::size_t max_pending);
    ~HttpFetcher();
    HttpFetcher(const HttpFetcher&) = delete;
    HttpFetcher& operator=(const HttpFetcher&) = delete;

    // Runs the request on the pool and resumes the caller on its own executor.
    // Throws FetchError as fetch_blocking does.
    boost::asio::awaitable<FetchResponse> fetch(const FetchRequest& request);

private:
    boost::asio::thread_pool pool_;
    std::size_t max_pending_;
    std::atomic<std::size_t> pending_{0};
};

}  // namespace bijou::net
