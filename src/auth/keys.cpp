#include "auth/keys.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <sodium.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "auth_sql.hpp"
#include "core/base64.hpp"
#include "core/log.hpp"
#include "db/blocking.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

const db::Statement kListSigningKeys{"auth.list_signing_keys", sql::k_list_signing_keys};
const db::Statement kRetireSigningKey{"auth.retire_signing_key", sql::k_retire_signing_key};
const db::Statement kInsertSigningKey{"auth.insert_signing_key", sql::k_insert_signing_key};

// Clock leeway added to the access-token lifetime before a retired key stops verifying.
constexpr std::chrono::seconds kRetiredKeyGrace{60};

json::object public_jwk(const std::string& kid, const Ed25519Key& key) {
    return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(key.public_bytes())},
            {"kid", kid},   {"alg", "EdDSA"},   {"use", "sig"}};
}

}  // namespace

MasterKey MasterKey::from_config(const Config& config) {
    MasterKey master;
    if (config.auth.master_key.empty()) {
        if (config.env == "production") throw std::runtime_error("auth.master_key is required in production");
        master.key_.assign(crypto_secretbox_KEYBYTES, '\0');
        std::string_view label = "bijou development master key";
        crypto_generichash(reinterpret_cast<unsigned char*>(master.key_.data()), master.key_.size(),
                           reinterpret_cast<const unsigned char*>(label.data()), label.size(), nullptr, 0);
        return master;
    }
    auto decoded = decode_base64(config.auth.master_key);
    if (!decoded || decoded->size() != crypto_secretbox_KEYBYTES) {
        throw std::runtime_error("auth.master_key must be 32 bytes in base64");
    }
    master.key_ = std::move(*decoded);
    return master;
}

std::string MasterKey::seal(std::string_view plain) const {
    std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                          plain.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
    return sealed;
}

std::optional<std::string> MasterKey::open(std::string_view sealed) const {
    if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
    std::string plain(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                   sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
        return std::nullopt;
    }
    return plain;
}

std::string MasterKey::digest(std::string_view text) const {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

KeyStore::KeyStore(db::Pool& pool, const Config& config, std::chrono::seconds refresh)
    : pool_(pool), master_key_(MasterKey::from_config(config)), refresh_(refresh) {}

boost::asio::awaitable<std::shared_ptr<const KeyRing>> KeyStore::current() {
    auto now = std::chrono::steady_clock::now();
    if (ring_ && now - loaded_at_ < refresh_) co_return ring_;
    if (ring_) {
        if (!reloading_) {
            reloading_ = true;
            auto executor = co_await boost::asio::this_coro::executor;
            boost::asio::co_spawn(executor, reload(), boost::asio::detached);
        }
        co_return ring_;
    }
    co_await load();
    co_return ring_;
}

boost::asio::awaitable<void> KeyStore::reload() {
    try {
        co_await load();
    } catch (const std::exception& error) {
        log::warn("reloading signing keys failed; keeping the loaded ones", {{"error", error.what()}});
    }
    reloading_ = false;
}

boost::asio::awaitable<void> KeyStore::load() {
    auto now = std::chrono::steady_clock::now();
    auto rows = co_await pool_.query(kListSigningKeys);
    auto ring = std::make_shared<KeyRing>();
    for (int row = 0; row < rows.rows(); ++row) {
        std::string kid(rows.text(row, 0));
        auto jwk = json::parse(rows.text(row, 2)).as_object();
        auto public_key = base64url_decode(jwk["x"].as_string());
        if (rows.text(row, 1) != "EdDSA" || !public_key || public_key->size() != 32) {
            log::error("skipping unusable signing key", {{"kid", kid}});
            continue;
        }
        ring->verification.push_back(VerificationKey{kid, Ed25519Key::from_public(*public_key)});
        ring->jwks.push_back(public_jwk(kid, ring->verification.back().key));

        if (rows.boolean(row, 3)) {
            auto sealed = decode_base64(rows.text(row, 4));
            auto seed = sealed ? master_key_.open(*sealed) : std::nullopt;
            if (!seed) {
                log::error("cannot unseal the active signing key; is auth.master_key the one it was sealed with?",
                           {{"kid", kid}});
                continue;
            }
            ring->signer = VerificationKey{kid, Ed25519Key::from_private(*seed)};
            sodium_memzero(seed->data(), seed->size());
        }
    }
    ring_ = std::move(ring);
    loaded_at_ = now;
}

void rotate_signing_key(const Config& config, std::ostream& out) {
    auto master_key = MasterKey::from_config(config);
    auto key = Ed25519Key::generate();
    std::string kid_bytes(12, '\0');
    randombytes_buf(kid_bytes.data(), kid_bytes.size());
    auto kid = base64url_encode(kid_bytes);
    auto seed = key.private_bytes();
    auto sealed = encode_base64(master_key.seal(seed));
    sodium_memzero(seed.data(), seed.size());

    db::BlockingConnection connection(config.database.url);
    connection.exec("BEGIN");
    try {
        // Serializes concurrent rotations; without it both would retire the same key and
        // the second insert would hit the one-active-key index.
        connection.exec("SELECT pg_advisory_xact_lock(426975107)");
        auto grace = std::to_string((config.auth.access_token_ttl + kRetiredKeyGrace).count());
        // The first key signs at once. A successor waits until every server has reloaded
        // the key set, so no server rejects the first tokens it signs.
        auto has_active = connection.exec(
            "SELECT count(*) FROM signing_key WHERE activated_at IS NOT NULL AND retired_at IS NULL");
        auto delay = std::to_string(has_active.int64(0, 0) > 0 ? config.auth.key_activation_delay.count() : 0);
        auto retired = connection.exec(kRetireSigningKey, {grace, delay});
        connection.exec(kInsertSigningKey, {kid, json::serialize(public_jwk(kid, key)), sealed, delay});
        connection.exec("COMMIT");
        if (retired.rows() > 0) {
            out << "retiring " << retired.text(0, 0) << " in " << delay << " s (its tokens verify for " << grace
                << " s more)\n";
        }
        out << "activating " << kid << " in " << delay << " s\n";
    } catch (...) {
        connection.exec("ROLLBACK");
        throw;
    }
}

}  // namespace bijou::auth

namespace bijou::auth {

void ensure_signing_key(const Config& config, std::ostream& out) {
    {
        db::BlockingConnection connection(config.database.url);
        auto active = connection.exec(
            "SELECT count(*) FROM signing_key WHERE activated_at IS NOT NULL AND retired_at IS NULL");
        if (active.int64(0, 0) > 0) {
            out << "an active signing key exists\n";
            return;
        }
    }
    rotate_signing_key(config, out);
}

}  // namespace bijou::auth
