// Fuzzes request-body validation as the registration endpoint uses it. Any outcome but
// typed fields or an ApiError is a bug.
#include <cstdint>
#include <string>

#include "http/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    bijou::http::Request request;
    request.raw.body().assign(reinterpret_cast<const char*>(data), size);
    try {
        bijou::http::BodyReader body(request, {"email", "password", "name", "phone", "cpf", "client"});
        auto email = body.string("email", true, 254);
        auto password = body.string("password", true, 128);
        body.string("name", true, 200);
        body.boolean("client");
        body.finish();
        if (!email || !password) __builtin_trap();
        if (bijou::http::utf8_length(*password) > 128) __builtin_trap();
    } catch (const bijou::ApiError& error) {
        if (error.code() != bijou::ErrorCode::malformed_request && error.code() != bijou::ErrorCode::validation_failed) {
            __builtin_trap();
        }
    }
    return 0;
}
