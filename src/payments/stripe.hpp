#pragma once

// Stripe's PaymentIntents API: POST /v1/payment_intents creates and confirms a card or Pix
// payment in one call, GET /v1/payment_intents/{id} reads one, and webhook events carry
// the PaymentIntent, signed in the Stripe-Signature header.

#include <memory>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Creates the Stripe provider from payments.stripe.* and the common payment settings.
std::unique_ptr<Provider> make_stripe_provider(const PaymentsConfig& config);

// Returns the form-encoded body of POST /v1/payment_intents for `request`. Throws
// ProviderError (not retryable) for boleto, which this adapter does not offer, and for a
// card payment without a PaymentMethod id in card_token.
std::string stripe_payment_intent_body(const ChargeRequest& request);

// Maps a PaymentIntent status ("succeeded", "requires_action", ...) to ours.
ChargeStatus stripe_status(std::string_view status);

}  // namespace bijou::payments
