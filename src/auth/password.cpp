#include "auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "common_passwords_embedded.hpp"

namespace bijou::auth {

namespace {

std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

const std::unordered_set<std::string>& common_passwords() {
    static const std::unordered_set<std::string> list = [] {
        std::unordered_set<std::string> entries;
        std::string_view text = security_files::k_common_passwords;
        while (!text.empty()) {
            auto newline = text.find('\n');
            auto line = text.substr(0, newline);
            if (!line.empty() && line.front() != '#') entries.insert(lower_ascii(line));
            if (newline == std::string_view::npos) break;
            text.remove_prefix(newline + 1);
        }
        return entries;
    }();
    return list;
}

}  // namespace

PasswordProblem check_new_password(std::string_view password, const PasswordPolicy& policy) {
    auto length = code_points(password);
    if (length < policy.min_length) return PasswordProblem::too_short;
    if (length > policy.max_length) return PasswordProblem::too_long;
    if (common_passwords().contains(lower_ascii(password))) return PasswordProblem::too_common;
    return PasswordProblem::none;
}

std::string hash_password(std::string_view password, const PasswordPolicy& policy) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), policy.passes, policy.memory_bytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("Argon2id hashing failed: out of memory");
    }
    return out;
}

bool verify_password(std::string_view password, const std::string& phc_hash) {
    if (!phc_hash.starts_with("$argon2id$")) return false;
    return crypto_pwhash_str_verify(phc_hash.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& phc_hash, const PasswordPolicy& policy) {
    return crypto_pwhash_str_needs_rehash(phc_hash.c_str(), policy.passes, policy.memory_bytes) != 0;
}

}  // namespace bijou::auth
