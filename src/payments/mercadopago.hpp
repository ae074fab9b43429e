#pragma once

// Mercado Pago's Checkout API: POST /v1/payments creates Pix, card and boleto payments,
// GET /v1/payments/{id} reads one, and webhooks carry only the payment id, signed in the
// x-signature header.

#include <memory>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "payments/provider.hpp"

namespace bijou::payments {

// Creates the Mercado Pago provider from payments.mercadopago.* and the common payment
// settings (timeout, webhook tolerance).
std::unique_ptr<Provider> make_mercadopago_provider(const PaymentsConfig& config);

// Returns the JSON body of POST /v1/payments for `request`. Throws ProviderError (not
// retryable) when the request lacks what the method needs: a card token, or a CPF for boleto.
std::string mercadopago_payment_body(const ChargeRequest& request);

// Maps a Mercado Pago payment status ("approved", "in_process", "rejected", ...) to ours.
ChargeStatus mercadopago_status(std::string_view status);

}  // namespace bijou::payments
