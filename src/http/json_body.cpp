#include "http/json_body.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace bijou::http {

std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

BodyReader::BodyReader(const Request& request, std::span<const std::string_view> allowed_fields) {
    boost::system::error_code ec;
    auto value = boost::json::parse(request.raw.body(), ec);
    if (ec || !value.is_object()) {
        throw ApiError(ErrorCode::malformed_request, "body is not a JSON object: " + (ec ? ec.message() : "wrong type"));
    }
    body_ = std::move(value.as_object());
    check_fields(allowed_fields);
}

BodyReader::BodyReader(boost::json::object body, std::string prefix, BodyReader* parent,
                       std::span<const std::string_view> allowed_fields)
    : body_(std::move(body)), prefix_(std::move(prefix)), parent_(parent) {
    check_fields(allowed_fields);
}

void BodyReader::check_fields(std::span<const std::string_view> allowed_fields) {
    for (const auto& [key, ignored] : body_) {
        if (std::find(allowed_fields.begin(), allowed_fields.end(), std::string_view(key)) == allowed_fields.end()) {
            add_error(std::string(key), "unknown_field");
        }
    }
}

bool BodyReader::has(std::string_view name) const {
    const auto* value = body_.if_contains(name);
    return value != nullptr && !value->is_null();
}

std::optional<std::int64_t> BodyReader::integer(std::string_view name, bool required, std::int64_t min,
                                                std::int64_t max) {
    const auto* value = body_.if_contains(name);
    if (value == nullptr || value->is_null()) {
        if (required) add_error(std::string(name), "required");
        return std::nullopt;
    }
    std::optional<std::int64_t> number;
    if (value->is_int64()) number = value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        number = static_cast<std::int64_t>(value->as_uint64());
    }
    if (!number) {
        add_error(std::string(name), "wrong_type", {{"expected", "integer"}});
        return std::nullopt;
    }
    if (*number < min || *number > max) {
        add_error(std::string(name), "out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
        return std::nullopt;
    }
    return number;
}

std::optional<BodyReader> BodyReader::object(std::string_view name, bool required,
                                             std::span<const std::string_view> allowed_fields) {
    const auto* value = body_.if_contains(name);
    if (value == nullptr || value->is_null()) {
        if (required) add_error(std::string(name), "required");
        return std::nullopt;
    }
    if (!value->is_object()) {
        add_error(std::string(name), "wrong_type", {{"expected", "object"}});
        return std::nullopt;
    }
    return BodyReader(value->as_object(), std::string(name) + ".", this, allowed_fields);
}

std::optional<std::string> BodyReader::string(std::string_view name, bool required, std::size_t max_length) {
    const auto* value = body_.if_contains(name);
    if (value == nullptr || value->is_null()) {
        if (required) add_error(std::string(name), "required");
        return std::nullopt;
    }
    if (!value->is_string()) {
        add_error(std::string(name), "wrong_type", {{"expected", "string"}});
        return std::nullopt;
    }
    std::string text(value->as_string());
    // NUL and other C0 controls (tab excepted) have no place in these fields, and libpq
    // would cut a parameter at the first NUL, so "a@b.com\u0000x" would reach "a@b.com".
    bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\t';
    });
    if (has_control) {
        add_error(std::string(name), "invalid_characters");
        return std::nullopt;
    }
    if (utf8_length(text) > max_length) {
        add_error(std::string(name), "too_long", {{"max", std::to_string(max_length)}});
        return std::nullopt;
    }
    return text;
}

std::optional<bool> BodyReader::boolean(std::string_view name) {
    const auto* value = body_.if_contains(name);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_bool()) {
        add_error(std::string(name), "wrong_type", {{"expected", "boolean"}});
        return std::nullopt;
    }
    return value->as_bool();
}

void BodyReader::add_error(std::string field, std::string reason, std::map<std::string, std::string> args) {
    if (parent_ != nullptr) {
        parent_->add_error(prefix_ + field, std::move(reason), std::move(args));
        return;
    }
    errors_.push_back(FieldError{std::move(field), std::move(reason), std::move(args)});
}

void BodyReader::finish() {
    if (errors_.empty()) return;
    std::string fields;
    for (const auto& error : errors_) fields += (fields.empty() ? "" : ", ") + error.field;
    throw ApiError(ErrorCode::validation_failed, "invalid fields: " + fields, {}, std::move(errors_));
}

}  // namespace bijou::http
