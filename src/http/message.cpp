#include "http/message.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace bijou::http {

QueryParams QueryParams::parse(std::string_view query) {
    QueryParams params;
    if (query.empty()) return params;
    // Boost 1.81's parse_query reads up to a NUL terminator, and a request target is not
    // NUL-terminated, so parse a copy.
    std::string text(query);
    auto parsed = boost::urls::parse_query(text);
    if (!parsed) throw ApiError(ErrorCode::malformed_request, "malformed query string");
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    for (auto param : *parsed) {
        params.items_.emplace_back(param.key.decode(options),
                                   param.has_value ? param.value.decode(options) : std::string());
    }
    return params;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& [key, value] : items_) {
        if (key != name) continue;
        if (found) throw invalid_parameter(std::string(name), "repeated");
        found = value;
    }
    return found;
}

Response json_response(const Request& request, std::string body, Status status) {
    Response response{status, request.raw.version()};
    response.set(beast_http::field::content_type, "application/json");
    response.body() = std::move(body);
    return response;
}

Response problem_response(const Request& request, const ApiError& error) {
    const auto& messages = Messages::instance();
    auto code = error.code();
    int status = http_status(code);

    boost::json::object problem;
    problem["type"] = "/problems/" + std::string(code_name(code));
    problem["title"] = messages.error_title(request.locale, code);
    problem["status"] = status;
    problem["detail"] = messages.error_detail(request.locale, code, error.args());
    problem["code"] = code_name(code);
    problem["request_id"] = request.request_id;
    if (!error.errors().empty()) {
        boost::json::array errors;
        for (const auto& field : error.errors()) {
            errors.push_back(boost::json::object{
                {"field", field.field},
                {"code", field.code},
                {"message", messages.field_message(request.locale, field.code, field.args)},
            });
        }
        problem["errors"] = std::move(errors);
    }

    Response response{static_cast<Status>(status), request.raw.version()};
    response.set(beast_http::field::content_type, "application/problem+json");
    response.set(beast_http::field::content_language, locale_tag(request.locale));
    response.set(beast_http::field::cache_control, "no-store");
    response.body() = boost::json::serialize(problem);
    return response;
}

std::string entity_tag(std::string_view body) {
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                       nullptr, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return "\"" + std::string(hex) + "\"";
}

bool if_none_match_hits(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        auto comma = header.find(',');
        auto candidate = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
        while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
        if (candidate == "*") return true;
        if (candidate.starts_with("W/")) candidate.remove_prefix(2);
        if (candidate == etag) return true;
    }
    return false;
}

void make_cacheable(const Request& request, Response& response, std::chrono::seconds max_age,
                    std::string_view surrogate_keys) {
    auto etag = entity_tag(response.body());
    response.set(beast_http::field::etag, etag);
    response.set(beast_http::field::cache_control,
                 "public, max-age=" + std::to_string(max_age.count()) + ", stale-while-revalidate=60");
    if (!surrogate_keys.empty()) response.set("Surrogate-Key", surrogate_keys);

    auto if_none_match = request.raw[beast_http::field::if_none_match];
    if (!if_none_match.empty() && if_none_match_hits(if_none_match, etag)) {
        response.result(Status::not_modified);
        response.body().clear();
        response.erase(beast_http::field::content_type);
    }
}

}  // namespace bijou::http
