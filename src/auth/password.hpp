#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bijou::auth {

// Argon2id cost. The defaults are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane);
// libsodium always uses one lane.
struct PasswordPolicy {
    std::size_t memory_bytes = 19 * 1024 * 1024;
    unsigned long long passes = 2;
    std::size_t min_length = 8;
    std::size_t max_length = 128;
};

// Reason a new password was rejected, also the key of its localized message.
enum class PasswordProblem { none, too_short, too_long, too_common };

// Checks length (in UTF-8 code points) and the shipped list of common passwords, compared
// case-insensitively.
PasswordProblem check_new_password(std::string_view password, const PasswordPolicy& policy);

// Hashes with Argon2id and a random salt into a PHC string ("$argon2id$v=19$m=...").
// Throws std::runtime_error when the memory cannot be allocated.
std::string hash_password(std::string_view password, const PasswordPolicy& policy);

// Verifies a password against a PHC string of any Argon2id cost, in constant time for a
// given hash. Returns false for a malformed hash.
bool verify_password(std::string_view password, const std::string& phc_hash);

// True when a stored hash was made with other parameters than the policy's, so the login
// that just verified it should store a new hash.
bool needs_rehash(const std::string& phc_hash, const PasswordPolicy& policy);

}  // namespace bijou::auth
