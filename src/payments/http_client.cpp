#include "payments/http_client.hpp"

#include <curl/curl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "payments/provider.hpp"

namespace bijou::payments {

namespace asio = boost::asio;

namespace {

// Threads for provider calls per client. Two let a slow call not hold up the next one;
// more are rarely useful, because each checkout makes one call.
constexpr int kThreads = 2;
constexpr long kConnectTimeoutMs = 5'000;

struct Download {
    std::string body;
    std::size_t limit = 0;
    bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* download = static_cast<Download*>(user);
    std::size_t length = size * count;
    if (download->body.size() + length > download->limit) {
        download->too_large = true;
        return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    download->body.append(data, length);
    return length;
}

}  // namespace

ApiClient::ApiClient(std::chrono::milliseconds timeout, std::size_t max_response_bytes)
    : timeout_(timeout), max_response_bytes_(max_response_bytes), threads_(kThreads) {}

ApiClient::~ApiClient() {
    threads_.join();
}

asio::awaitable<ApiResponse> ApiClient::send(const ApiRequest& request) {
    // The transfer runs on the pool, and co_spawn resumes this coroutine on its own executor.
    auto response = co_await asio::co_spawn(threads_, transfer(request), asio::use_awaitable);
    co_return response;
}

asio::awaitable<ApiResponse> ApiClient::transfer(const ApiRequest& request) const {
    co_return perform(request);
}

ApiResponse ApiClient::perform(const ApiRequest& request) const {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw ProviderError("libcurl could not start a transfer", true);
    curl_slist* list = nullptr;
    for (const auto& header : request.headers) list = curl_slist_append(list, header.c_str());
    // libcurl would otherwise send "Expect: 100-continue" and wait for the server before the body.
    list = curl_slist_append(list, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, &curl_slist_free_all);

    Download download;
    download.limit = max_response_bytes_;
    char error[CURL_ERROR_SIZE] = {};
    auto* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "bijou");
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(kConnectTimeoutMs, static_cast<long>(timeout_.count())));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &download);
    if (request.method == "POST") {
        curl_easy_setopt(handle, CURLOPT_POST, 1L);
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (!request.basic_auth_user.empty()) {
        curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(handle, CURLOPT_USERNAME, request.basic_auth_user.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, "");
    }

    CURLcode result = curl_easy_perform(handle);
    if (download.too_large) {
        throw ProviderError(request.method + " " + request.url + ": response is larger than " +
                                std::to_string(max_response_bytes_) + " bytes",
                            false);
    }
    if (result != CURLE_OK) {
        throw ProviderError(request.method + " " + request.url +
                                " failed: " + std::string(error[0] != '\0' ? error : curl_easy_strerror(result)),
                            true);
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return ApiResponse{static_cast<int>(status), std::move(download.body)};
}

void throw_for_status(std::string_view provider, std::string_view operation, const ApiResponse& response,
                      std::string_view detail) {
    if (response.status >= 200 && response.status < 300) return;
    bool retryable = response.status >= 500 || response.status == 408 || response.status == 429;
    std::string message =
        std::string(provider) + " " + std::string(operation) + " failed with HTTP " + std::to_string(response.status);
    if (!detail.empty()) message += ": " + std::string(detail);
    throw ProviderError(message, retryable, response.status);
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                          (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

}  // namespace bijou::payments
