#include "http/pipeline.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/log.hpp"

namespace bijou::http {

namespace {

// The media type of a Content-Type value, lowercased and without parameters.
std::string media_type_of(std::string_view content_type) {
    auto semicolon = content_type.find(';');
    auto media = content_type.substr(0, semicolon);
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    std::string lowered(media);
    std::ranges::transform(lowered, lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    return lowered;
}

bool accepts_media_type(BodyType body_type, std::string_view content_type) {
    auto media = media_type_of(content_type);
    if (body_type == BodyType::form) return media == "application/x-www-form-urlencoded";
    return media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"));
}

std::string_view expected_media_type(BodyType body_type) {
    return body_type == BodyType::form ? "application/x-www-form-urlencoded" : "application/json";
}

std::string join_methods(const std::vector<Verb>& methods) {
    std::vector<std::string_view> names;
    for (auto method : methods) names.push_back(beast_http::to_string(method));
    std::ranges::sort(names);
    auto last = std::unique(names.begin(), names.end());
    std::string out;
    for (auto it = names.begin(); it != last; ++it) out += (out.empty() ? "" : ", ") + std::string(*it);
    return out;
}

constexpr std::string_view kAllowedRequestHeaders =
    "Accept-Language, Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, "
    "X-Cart-Token, X-CSRF-Token, X-Request-Id";
constexpr std::string_view kExposedHeaders = "ETag, Idempotent-Replayed, Retry-After, X-Cart-Token, X-Request-Id, Location";

}  // namespace

Pipeline::Pipeline(const HttpConfig& config) : config_(config) {
    // Entries were checked when the configuration was loaded.
    for (const auto& entry : config.trusted_proxies) {
        boost::system::error_code ec;
        if (entry.find('/') != std::string::npos) {
            auto v6 = boost::asio::ip::make_network_v6(entry, ec);
            if (!ec) {
                trusted_v6_.push_back(v6);
                continue;
            }
            trusted_v4_.push_back(boost::asio::ip::make_network_v4(entry, ec));
            continue;
        }
        auto address = boost::asio::ip::make_address(entry, ec);
        if (address.is_v4()) trusted_v4_.emplace_back(address.to_v4(), 32);
        else trusted_v6_.emplace_back(address.to_v6(), 128);
    }
}

bool Pipeline::is_trusted_proxy(const boost::asio::ip::address& address) const {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return is_trusted_proxy(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()));
    }
    if (address.is_v4()) {
        auto value = address.to_v4().to_uint();
        return std::ranges::any_of(trusted_v4_, [&](const auto& network) {
            auto bits = network.prefix_length();
            std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
            return (value & mask) == (network.address().to_uint() & mask);
        });
    }
    auto bytes = address.to_v6().to_bytes();
    return std::ranges::any_of(trusted_v6_, [&](const auto& network) {
        auto prefix = network.address().to_bytes();
        int bits = network.prefix_length();
        for (std::size_t i = 0; i < bytes.size() && bits > 0; ++i, bits -= 8) {
            auto mask = static_cast<unsigned char>(bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF);
            if ((bytes[i] & mask) != (prefix[i] & mask)) return false;
        }
        return true;
    });
}

void Pipeline::resolve_client(Request& request) const {
    if (trusted_v4_.empty() && trusted_v6_.empty()) return;
    boost::system::error_code ec;
    auto peer = boost::asio::ip::make_address(request.remote_address, ec);
    if (ec || !is_trusted_proxy(peer)) return;
    // Walk X-Forwarded-For from the right: each trusted proxy appended the address it saw.
    std::string forwarded(request.raw["X-Forwarded-For"]);
    while (!forwarded.empty()) {
        auto comma = forwarded.rfind(',');
        auto item = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
        forwarded.erase(comma == std::string::npos ? 0 : comma);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        auto address = boost::asio::ip::make_address(item, ec);
        if (ec) return;  // A malformed entry: keep the last address that was sure.
        request.remote_address = address.to_string();
        if (!is_trusted_proxy(address)) return;
    }
}

void Pipeline::prepare(Request& request) const {
    resolve_client(request);
    auto incoming_id = request.raw["X-Request-Id"];
    request.request_id = is_acceptable_request_id(incoming_id) ? std::string(incoming_id) : random_request_id();
    request.locale = negotiate_locale(request.raw[beast_http::field::accept_language]);

    auto target = request.raw.target();
    auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
}

boost::asio::awaitable<Response> Pipeline::handle(Request& request) const {
    Response response;
    try {
        response = co_await dispatch(request);
    } catch (const ApiError& error) {
        auto level = http_status(error.code()) >= 500 ? log::Level::error : log::Level::warn;
        log::write(level, "request failed",
                   {{"request_id", request.request_id}, {"code", code_name(error.code())}, {"detail", error.what()}});
        response = problem_response(request, error);
        if (error.code() == ErrorCode::rate_limited) {
            auto retry_after = error.args().find("retry_after");
            if (retry_after != error.args().end()) response.set(beast_http::field::retry_after, retry_after->second);
        }
        if (response.result() == Status::unauthorized) {
            // RFC 9110 requires the challenge on every 401. RFC 6750 adds an error code only
            // when a token was sent and rejected.
            bool token_rejected = error.code() == ErrorCode::unauthorized &&
                                  !request.raw[beast_http::field::authorization].empty();
            response.set(beast_http::field::www_authenticate,
                         token_rejected ? "Bearer realm=\"bijou\", error=\"invalid_token\"" : "Bearer realm=\"bijou\"");
        }
    } catch (const std::exception& error) {
        log::error("unhandled error", {{"request_id", request.request_id}, {"error", error.what()}});
        response = problem_response(request, ApiError(ErrorCode::internal_error));
    }
    finish(request, response);
    co_return response;
}

boost::asio::awaitable<Response> Pipeline::dispatch(Request& request) const {
    auto target = request.raw.target();
    auto question = target.find('?');
    if (question != std::string_view::npos) request.query = QueryParams::parse(target.substr(question + 1));

    auto method = request.raw.method();
    bool is_preflight = method == Verb::options && !request.raw[beast_http::field::origin].empty() &&
                        !request.raw[beast_http::field::access_control_request_method].empty();

    auto match = router_.match(is_preflight ? Verb::unknown : method, request.path);
    if (is_preflight && !match.allowed.empty()) co_return preflight(request, match.allowed);
    if (match.target == nullptr && match.allowed.empty()) {
        throw ApiError(ErrorCode::route_not_found, "no route for " + request.path, {{"path", request.path}});
    }
    if (match.target == nullptr) {
        auto allow = join_methods(match.allowed);
        auto response = problem_response(
            request, ApiError(ErrorCode::method_not_allowed, "method not allowed",
                              {{"method", std::string(request.raw.method_string())}, {"path", request.path}, {"allow", allow}}));
        response.set(beast_http::field::allow, allow);
        co_return response;
    }

    auto body_type = match.target->body_type;
    if (!request.raw.body().empty() && !accepts_media_type(body_type, request.raw[beast_http::field::content_type])) {
        throw ApiError(ErrorCode::unsupported_media_type,
                       "content type " + std::string(request.raw[beast_http::field::content_type]),
                       {{"media_type", std::string(expected_media_type(body_type))}});
    }

    request.params = std::move(match.params);
    bool exempt = request.path == "/healthz" || request.path == "/readyz" || request.path.starts_with("/v1/webhooks/");
    if (guard_ && !exempt) co_await guard_(request);
    co_return co_await match.target->handler(request);
}

Response Pipeline::preflight(const Request& request, const std::vector<Verb>& methods) const {
    Response response{Status::no_content, request.raw.version()};
    if (origin_allowed(request.raw[beast_http::field::origin])) {
        response.set(beast_http::field::access_control_allow_methods, join_methods(methods) + ", OPTIONS");
        response.set(beast_http::field::access_control_allow_headers, kAllowedRequestHeaders);
        response.set(beast_http::field::access_control_max_age, "600");
    }
    return response;
}

bool Pipeline::origin_allowed(std::string_view origin) const {
    if (origin.empty()) return false;
    const auto& allowed = config_.cors_allowed_origins;
    return std::ranges::any_of(allowed, [&](const std::string& entry) { return entry == "*" || entry == origin; });
}

void Pipeline::finish(const Request& request, Response& response) const {
    response.set("X-Request-Id", request.request_id);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("Cross-Origin-Resource-Policy", "cross-origin");
    response.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    response.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (response.find(beast_http::field::cache_control) == response.end()) {
        response.set(beast_http::field::cache_control, "no-store");
    }

    auto origin = request.raw[beast_http::field::origin];
    if (origin_allowed(origin)) {
        response.set(beast_http::field::access_control_allow_origin, origin);
        response.set(beast_http::field::access_control_allow_credentials, "true");
        response.set(beast_http::field::access_control_expose_headers, kExposedHeaders);
    }
    response.set(beast_http::field::vary, "Origin, Accept-Language");

    response.keep_alive(request.raw.keep_alive());
    response.prepare_payload();
    if (request.raw.method() == Verb::head) response.body().clear();

    if (log::enabled(log::Level::info)) {
        auto elapsed = std::chrono::steady_clock::now() - request.received_at;
        log::access(request.request_id, request.raw.method_string(), request.path, response.result_int(),
                    response.has_content_length() ? response[beast_http::field::content_length] : "0",
                    std::chrono::duration<double, std::milli>(elapsed).count(), request.remote_address);
    }
}

}  // namespace bijou::http
