#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "core/config.hpp"
#include "db/pool.hpp"

namespace bijou::auth {

// Seals secrets at rest (signing keys) with crypto_secretbox under the master key.
class MasterKey {
public:
    // Reads auth.master_key; without one, outside production, uses a fixed development key
    // that protects nothing and is only there so the local stack runs without set-up.
    static MasterKey from_config(const Config& config);

    // Returns nonce || ciphertext.
    std::string seal(std::string_view plain) const;
    // Returns nullopt when the box was made under another key or was altered.
    std::optional<std::string> open(std::string_view sealed) const;

    // A keyed BLAKE2b digest in hex, for identifiers kept outside PostgreSQL (rate-limit
    // keys in Redis): the same on every replica, but not testable against a list of
    // e-mail addresses without the master key.
    std::string digest(std::string_view text) const;

private:
    std::string key_;
};

// The keys a process signs and verifies access tokens with.
struct KeyRing {
    std::vector<VerificationKey> verification;
    // The key that signs new tokens; absent until `bijou keys rotate` first runs.
    std::optional<VerificationKey> signer;
    // The public keys as a JWK Set (RFC 7517) for /.well-known/jwks.json.
    boost::json::array jwks;
};

// Loads the key ring from PostgreSQL and keeps it for `refresh` (one per I/O thread), so a
// rotation reaches every replica within that time.
class KeyStore {
public:
    KeyStore(db::Pool& pool, const Config& config, std::chrono::seconds refresh = std::chrono::seconds(30));

    // Returns the keys. A ring older than `refresh` is still returned while a reload runs
    // in the background: callers often hold a pooled connection inside a transaction, and
    // waiting here for a second connection could exhaust the pool. Only the first call
    // waits for the database.
    boost::asio::awaitable<std::shared_ptr<const KeyRing>> current();

private:
    boost::asio::awaitable<void> load();
    boost::asio::awaitable<void> reload();

    db::Pool& pool_;
    MasterKey master_key_;
    std::chrono::seconds refresh_;
    std::shared_ptr<const KeyRing> ring_;
    std::chrono::steady_clock::time_point loaded_at_;
    bool reloading_ = false;
};

// Retires the active signing key (its tokens verify until they expire) and activates a
// new Ed25519 key, sealed under the master key, in one transaction. Writes the new kid
// to `out`.
void rotate_signing_key(const Config& config, std::ostream& out);

// Activates a first signing key when none is active; does nothing otherwise. Used by
// `make run` and the tests so that a new database can issue tokens.
void ensure_signing_key(const Config& config, std::ostream& out);

}  // namespace bijou::auth
