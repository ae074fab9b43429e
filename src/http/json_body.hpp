#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace bijou::http {

// Reads a JSON object body field by field and collects every problem, so the client learns
// about all bad fields in one 422 response. Unknown fields are errors too, which rules out
// mass assignment (a client setting `role` or `id`).
// TODO: validate against the request schemas in api/openapi.yaml with valijson once the
// contract describes every request body.
class BodyReader {
public:
    // Parses the body. Throws ApiError(malformed_request) when it is not a JSON object
    // (empty, invalid JSON or invalid UTF-8).
    BodyReader(const Request& request, std::initializer_list<std::string_view> allowed_fields)
        : BodyReader(request, std::span(allowed_fields.begin(), allowed_fields.size())) {}
    BodyReader(const Request& request, std::span<const std::string_view> allowed_fields);

    // Reads a string field. An absent or null field is an error when `required` is set, and
    // a string longer than `max_length` characters is always one.
    std::optional<std::string> string(std::string_view name, bool required, std::size_t max_length);
    std::optional<bool> boolean(std::string_view name);
    // Reads a whole number between min and max. Numbers with a fraction or an exponent, and
    // numbers in strings, are wrong types.
    std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min, std::int64_t max);
    // Reads a nested object with its own allowed fields. Its errors are reported on the
    // parent as "name.field". Returns nullopt when the field is absent or not an object.
    std::optional<BodyReader> object(std::string_view name, bool required,
                                     std::span<const std::string_view> allowed_fields);
    // True when the field is present and not null.
    bool has(std::string_view name) const;
    // True when the field is present, null included.
    bool present(std::string_view name) const { return body_.contains(name); }

    void add_error(std::string field, std::string reason, std::map<std::string, std::string> args = {});

    // Throws ApiError(validation_failed) listing every error found so far.
    void finish();

private:
    BodyReader(boost::json::object body, std::string prefix, BodyReader* parent,
               std::span<const std::string_view> allowed_fields);
    void check_fields(std::span<const std::string_view> allowed_fields);

    boost::json::object body_;
    std::vector<FieldError> errors_;
    // Set on a nested reader: errors go to the parent, named prefix + field.
    std::string prefix_;
    BodyReader* parent_ = nullptr;
};

// Counts UTF-8 code points, as users count characters.
std::size_t utf8_length(std::string_view text);

}  // namespace bijou::http
