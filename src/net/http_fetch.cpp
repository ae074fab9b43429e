#include "net/http_fetch.hpp"

#include <curl/curl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <mutex>

#include "core/error.hpp"

namespace bijou::net {

namespace {

struct Body {
    std::string text;
    std::size_t limit = 0;
    bool truncated = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    std::size_t bytes = size * count;
    if (body->text.size() + bytes > body->limit) {
        body->truncated = true;
        // Returning less than `bytes` makes libcurl abort the transfer.
        return 0;
    }
    body->text.append(data, bytes);
    return bytes;
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    });
}

template <typename Value>
void set_option(CURL* curl, CURLoption option, Value value) {
    if (curl_easy_setopt(curl, option, value) != CURLE_OK) {
        throw FetchError("libcurl rejected option " + std::to_string(static_cast<int>(option)));
    }
}

}  // namespace

FetchResponse fetch_blocking(const FetchRequest& request) {
    global_init();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw FetchError("curl_easy_init failed");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    for (const auto& line : request.headers) {
        auto* extended = curl_slist_append(headers.get(), line.c_str());
        if (extended == nullptr) throw FetchError("curl_slist_append failed");
        headers.release();
        headers.reset(extended);
    }
    auto* accept = curl_slist_append(headers.get(), "Accept: application/json");
    if (accept == nullptr) throw FetchError("curl_slist_append failed");
    headers.release();
    headers.reset(accept);

    Body body{{}, request.max_response_bytes, false};
    auto* handle = curl.get();
    set_option(handle, CURLOPT_URL, request.url.c_str());
    set_option(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    set_option(handle, CURLOPT_FOLLOWLOCATION, 0L);
    // Signals would interrupt other threads of the server; timeouts work without them.
    set_option(handle, CURLOPT_NOSIGNAL, 1L);
    set_option(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    set_option(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
    set_option(handle, CURLOPT_USERAGENT, "bijou");
    set_option(handle, CURLOPT_HTTPHEADER, headers.get());
    set_option(handle, CURLOPT_WRITEFUNCTION, &append_body);
    set_option(handle, CURLOPT_WRITEDATA, static_cast<void*>(&body));
    if (request.form_body) {
        set_option(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.form_body->size()));
        set_option(handle, CURLOPT_POSTFIELDS, request.form_body->c_str());
    }

    auto code = curl_easy_perform(handle);
    if (body.truncated || code == CURLE_FILESIZE_EXCEEDED) {
        throw FetchError("response body exceeds " + std::to_string(request.max_response_bytes) + " bytes");
    }
    if (code != CURLE_OK) throw FetchError(curl_easy_strerror(code));

    FetchResponse response;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    char* content_type = nullptr;
    if (curl_easy_getinfo(handle, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type != nullptr) {
        response.content_type = content_type;
    }
    response.body = std::move(body.text);
    return response;
}

HttpFetcher::HttpFetcher(std::size_t threads, std::size_t max_pending) : pool_(threads), max_pending_(max_pending) {
    global_init();
}

HttpFetcher::~HttpFetcher() {
    pool_.join();
}

boost::asio::awaitable<FetchResponse> HttpFetcher::fetch(const FetchRequest& request) {
    if (pending_.fetch_add(1) >= max_pending_) {
        pending_.fetch_sub(1);
        throw ApiError(ErrorCode::service_unavailable, "outbound HTTP queue is full");
    }
    struct Release {
        std::atomic<std::size_t>& counter;
        ~Release() { counter.fetch_sub(1); }
    } release{pending_};
    auto task = [](FetchRequest copy) -> boost::asio::awaitable<FetchResponse> { co_return fetch_blocking(copy); };
    auto work = task(request);
    co_return co_await boost::asio::co_spawn(pool_, std::move(work), boost::asio::use_awaitable);
}

}  // namespace bijou::net
