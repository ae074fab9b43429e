#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
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
    BodyReader(const Request& request, std::initializer_list<std::string_view> allowed_fields);

    // Reads a string field. An absent or null field is an error when `required` is set, and
    // a string longer than `max_length` characters is always one.
    std::optional<std::string> string(std::string_view name, bool required, std::size_t max_length);
    std::optional<bool> boolean(std::string_view name);

    void add_error(std::string field, std::string reason, std::map<std::string, std::string> args = {});

    // Throws ApiError(validation_failed) listing every error found so far.
    void finish();

private:
    boost::json::object body_;
    std::vector<FieldError> errors_;
};

// Counts UTF-8 code points, as users count characters.
std::size_t utf8_length(std::string_view text);

}  // namespace bijou::http
