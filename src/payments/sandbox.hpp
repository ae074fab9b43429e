#pragma once

#include <memory>

#include "core/config.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Card tokens the sandbox understands: the first is approved at once, the second declined.
// Any other token is declined as invalid.
inline constexpr std::string_view kSandboxApprovedCard = "tok_sandbox_approved";
inline constexpr std::string_view kSandboxDeclinedCard = "tok_sandbox_declined";

// Builds the webhook the sandbox sends for a payment it settles: a Stripe-shaped event
// ("payment_intent.succeeded" or "payment_intent.payment_failed") whose id derives from
// `event_key`, so that resending it is recognised as the same event.
std::string sandbox_event_body(std::string_view event_key, std::string_view provider_payment_id,
                               std::string_view payment_id, bool approved);

// The local payment provider: no money moves. Pix charges get a real BR Code and QR image
// (payments.pix_key, payments.merchant_*), boletos a well-formed barcode, cards the verdict
// of their test token. A payment is settled later through POST
// /v1/sandbox/payments/{id}/approve or /decline, which make the worker send a webhook
// signed like Stripe's with payments.sandbox.webhook_secret.
std::unique_ptr<Provider> make_sandbox_provider(const PaymentsConfig& config);

// The provider payments.provider selects.
std::unique_ptr<Provider> make_provider(const PaymentsConfig& config);

}  // namespace bijou::payments
