#include "admin/totp.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <stdexcept>

namespace bijou::admin {

namespace {

constexpr unsigned kStepSeconds = 30;

void ensure_oath() {
    static const int status = oath_init();
    if (status != OATH_OK) throw std::runtime_error("liboath failed to initialize");
}

time_t unix_seconds(std::chrono::system_clock::time_point time) {
    return static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

}  // namespace

std::string new_totp_secret() {
    std::string secret(20, '\0');
    randombytes_buf(secret.data(), secret.size());
    return secret;
}

std::string otpauth_uri(std::string_view email, std::string_view secret) {
    ensure_oath();
    char* encoded = nullptr;
    std::size_t length = 0;
    if (oath_base32_encode(secret.data(), secret.size(), &encoded, &length) != OATH_OK) {
        throw std::runtime_error("base32 encoding of the TOTP secret failed");
    }
    std::string base32(encoded, length);
    free(encoded);
    while (!base32.empty() && base32.back() == '=') base32.pop_back();
    // The e-mail goes into the label unescaped. Authenticator apps accept the '@', and
    // admin e-mails are expected to contain no other character that a URI label escapes.
    // NOTE: `bijou admin create` does not check the e-mail's shape.
    return "otpauth://totp/Bijou:" + std::string(email) + "?secret=" + base32 +
           "&issuer=Bijou&algorithm=SHA1&digits=6&period=30";
}

std::optional<std::uint64_t> verify_totp(std::string_view secret, std::string_view code,
                                         std::chrono::system_clock::time_point now) {
    ensure_oath();
    if (code.size() != 6) return std::nullopt;
    for (char c : code) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::string otp(code);
    int position = 0;
    std::uint64_t step = 0;
    int result = oath_totp_validate3(secret.data(), secret.size(), unix_seconds(now), kStepSeconds, 0, 1, &position,
                                     &step, otp.c_str());
    if (result < 0) return std::nullopt;
    return step;
}

std::string totp_code(std::string_view secret, std::chrono::system_clock::time_point now, unsigned digits) {
    ensure_oath();
    char output[16] = {};
    if (oath_totp_generate(secret.data(), secret.size(), unix_seconds(now), kStepSeconds, 0, digits, output) != OATH_OK) {
        throw std::runtime_error("TOTP generation failed");
    }
    return output;
}

}  // namespace bijou::admin
