// Fuzzes access-token verification. No input may verify: the key is random and secret.
#include <sodium.h>

#include <cstdint>
#include <string_view>

#include "auth/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = sodium_init() >= 0;
    (void)ready;
    static const std::vector<bijou::auth::VerificationKey> keys{{"chave", bijou::auth::Ed25519Key::generate()}};
    bijou::auth::TokenExpectations expected;
    expected.issuer = "bijou";
    expected.audience = "bijou-storefront";
    std::string_view token(reinterpret_cast<const char*>(data), size);
    auto result = bijou::auth::verify_token(token, keys, expected);
    if (result.error == bijou::auth::TokenError::none) __builtin_trap();
    return 0;
}
