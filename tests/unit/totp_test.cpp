#include "admin/totp.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "admin/permissions.hpp"

using namespace std::chrono;

namespace {

system_clock::time_point at(std::int64_t seconds) {
    return system_clock::time_point(std::chrono::seconds(seconds));
}

// RFC 6238 appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 8 digits.
constexpr const char* kRfcSecret = "12345678901234567890";

}  // namespace

TEST(Totp, Rfc6238Vectors) {
    EXPECT_EQ(bijou::admin::totp_code(kRfcSecret, at(59), 8), "94287082");
    EXPECT_EQ(bijou::admin::totp_code(kRfcSecret, at(1111111109), 8), "07081804");
    EXPECT_EQ(bijou::admin::totp_code(kRfcSecret, at(1234567890), 8), "89005924");
    EXPECT_EQ(bijou::admin::totp_code(kRfcSecret, at(2000000000), 8), "69279037");
}

TEST(Totp, AcceptsOneStepOfDrift) {
    auto now = at(1'800'000'000);
    auto code = bijou::admin::totp_code(kRfcSecret, now);
    auto step = bijou::admin::verify_totp(kRfcSecret, code, now);
    ASSERT_TRUE(step.has_value());
    EXPECT_EQ(*step, 1'800'000'000u / 30);
    EXPECT_TRUE(bijou::admin::verify_totp(kRfcSecret, code, now + seconds(30)).has_value());
    EXPECT_FALSE(bijou::admin::verify_totp(kRfcSecret, code, now + seconds(90)).has_value());
}

TEST(Totp, RejectsMalformedCodes) {
    auto now = at(1'800'000'000);
    for (const char* bad : {"", "12345", "1234567", "abcdef", "12 456"}) {
        EXPECT_FALSE(bijou::admin::verify_totp(kRfcSecret, bad, now).has_value()) << bad;
    }
}

TEST(Totp, OtpauthUriCarriesBase32Secret) {
    auto uri = bijou::admin::otpauth_uri("dona@loja.example", kRfcSecret);
    EXPECT_EQ(uri, "otpauth://totp/Bijou:dona@loja.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                   "&issuer=Bijou&algorithm=SHA1&digits=6&period=30");
}

TEST(Roles, PermissionTable) {
    using bijou::admin::Permission;
    using bijou::admin::Role;
    EXPECT_TRUE(bijou::admin::role_has(Role::owner, Permission::admins_manage));
    EXPECT_FALSE(bijou::admin::role_has(Role::manager, Permission::admins_manage));
    EXPECT_TRUE(bijou::admin::role_has(Role::manager, Permission::audit_log_read));
    EXPECT_FALSE(bijou::admin::role_has(Role::catalog_editor, Permission::orders_read));
    EXPECT_TRUE(bijou::admin::role_has(Role::catalog_editor, Permission::catalog_write));
    EXPECT_TRUE(bijou::admin::role_has(Role::order_operator, Permission::orders_update));
    EXPECT_FALSE(bijou::admin::role_has(Role::order_operator, Permission::refunds));
    EXPECT_FALSE(bijou::admin::role_has(Role::support, Permission::audit_log_read));
    EXPECT_EQ(bijou::admin::parse_role("catalog_editor"), Role::catalog_editor);
    EXPECT_FALSE(bijou::admin::parse_role("root").has_value());
}
