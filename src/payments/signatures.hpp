#pragma once

// Webhook signature schemes of the payment providers. Both send an HMAC-SHA256 in
// lower-case hex under a shared secret, with a signed Unix timestamp. The verifiers check
// the timestamp against a tolerance, so a captured request cannot be replayed later.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payments/provider.hpp"

namespace bijou::payments {

inline constexpr std::chrono::seconds kDefaultWebhookTolerance{300};

// Returns the lower-case hex HMAC-SHA256 of `message` under `secret`.
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

// Returns a Stripe-Signature header value, "t=<timestamp>,v1=<hex>", where the hex is
// the HMAC-SHA256 of "<timestamp>.<body>" under `secret`, as Stripe signs its webhooks.
std::string stripe_sign(std::string_view secret, std::string_view body, std::int64_t timestamp);

// Verifies a Stripe-Signature header over the raw body. The header may carry several v1
// values (during a secret rotation Stripe signs with each secret) and other schemes such as
// v0, which are ignored. Throws SignatureError when the header is missing or malformed, no
// v1 matches, or its timestamp is more than `tolerance` away from `now`, in either direction.
void stripe_verify(std::optional<std::string_view> header, std::string_view secret, std::string_view body,
                   std::chrono::system_clock::time_point now,
                   std::chrono::seconds tolerance = kDefaultWebhookTolerance);

// Returns the text Mercado Pago signs, "id:<data.id>;request-id:<x-request-id>;ts:<ts>;",
// leaving out each part whose value is absent. An alphanumeric data.id is lower-cased, as
// Mercado Pago's notification guide requires.
std::string mercadopago_manifest(std::optional<std::string_view> data_id, std::optional<std::string_view> request_id,
                                 std::string_view timestamp);

// Returns an x-signature header value, "ts=<timestamp>,v1=<hex>", where the hex is the
// HMAC-SHA256 of the manifest under `secret`.
std::string mercadopago_sign(std::string_view secret, std::optional<std::string_view> data_id,
                             std::optional<std::string_view> request_id, std::int64_t timestamp);

// Verifies a Mercado Pago x-signature header. `data_id` is the notification's data.id and
// `request_id` the x-request-id header. Several v1 values are accepted, any one matching.
// Throws SignatureError when the header is missing or malformed, no v1 matches, or the
// timestamp is more than `tolerance` away from `now`.
void mercadopago_verify(std::optional<std::string_view> header, std::optional<std::string_view> data_id,
                        std::optional<std::string_view> request_id, std::string_view secret,
                        std::chrono::system_clock::time_point now,
                        std::chrono::seconds tolerance = kDefaultWebhookTolerance);

}  // namespace bijou::payments
