#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bijou::payments {

// The payment method the customer chose, as stored in payment.method.
enum class Method { pix, card, boleto };

// A charge's state as checkout needs it. Providers have richer states; each adapter maps
// them onto these three and keeps the provider's own reason in failure_reason.
enum class ChargeStatus { pending, approved, declined };

// One payment attempt to send to a provider.
struct ChargeRequest {
    // Our payment row id (UUID); also the idempotency key sent to the provider, so a
    // retried create returns the charge of the first attempt.
    std::string payment_id;
    // Human-readable order number, e.g. "BJ-2026-000123".
    std::string order_number;
    // Amount in centavos (BRL).
    std::int64_t amount = 0;
    Method method = Method::pix;
    // Text the provider shows the payer, e.g. "Pedido BJ-2026-000123 - Bijou".
    std::string description;
    std::string payer_email;
    std::string payer_name;
    // CPF, 11 digits. Mercado Pago requires it for boleto.
    std::optional<std::string> payer_cpf;
    // Card token (Mercado Pago) or PaymentMethod id (Stripe); set when method is card.
    std::optional<std::string> card_token;
    // Expiry of a Pix code or boleto.
    std::chrono::system_clock::time_point expires_at;
    // Mercado Pago's payment_method_id for a card ("visa", "master", "elo", ...), which its
    // card form returns along with the token. Stripe ignores it.
    std::optional<std::string> card_brand;
};

// The data a customer needs to pay by Pix.
struct PixCharge {
    // The BR Code ("copia e cola") to paste into a bank app.
    std::string copy_paste;
    // PNG image of the QR code of copy_paste, in standard base64.
    std::string qr_code_png_base64;
    std::chrono::system_clock::time_point expires_at;
};

// The data a customer needs to pay a boleto.
struct BoletoCharge {
    // The 44-digit barcode, digits only.
    std::string barcode;
    // The 47-digit typeable line ("linha digitavel"), digits only.
    std::string digitable_line;
    // The provider's page or PDF of the boleto.
    std::string url;
};

// The outcome of create_charge.
struct ChargeResult {
    std::string provider_payment_id;
    ChargeStatus status = ChargeStatus::pending;
    // Set for a Pix charge.
    std::optional<PixCharge> pix;
    // Set for a boleto charge.
    std::optional<BoletoCharge> boleto;
    // The provider's reason for a decline.
    std::string failure_reason;
};

// A webhook notification whose signature was verified.
struct WebhookEvent {
    // The provider's event id, used to deduplicate retried deliveries.
    std::string event_id;
    std::string provider_payment_id;
    // Status carried by the event, or nullopt when the provider sends only an id
    // (Mercado Pago): then call fetch_status.
    std::optional<ChargeStatus> status;
    // The provider's event type, e.g. "payment_intent.succeeded" or "payment.updated".
    std::string type;
};

// A webhook whose signature is forged, stale or malformed. The route should reject it with
// 400 or 401 and not process the body.
class SignatureError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A failed provider call: unreachable, timed out or 5xx (retryable), or a 4xx the same
// request will always get again (not retryable).
class ProviderError : public std::runtime_error {
public:
    ProviderError(const std::string& message, bool is_retryable, int status = 0)
        : std::runtime_error(message), retryable(is_retryable), http_status(status) {}

    // True when the same request may succeed later.
    bool retryable = false;
    // The provider's HTTP status, or 0 when no response arrived.
    int http_status = 0;
};

// A payment provider: creates charges, reads their status and verifies its webhooks.
// Implementations are safe to share between coroutines of one io_context.
class Provider {
public:
    virtual ~Provider() = default;

    // The provider's name as stored in payment.provider: "mercadopago", "stripe", "sandbox".
    virtual std::string_view name() const = 0;

    // Creates a charge, using request.payment_id as the idempotency key. A declined card
    // is a result with status declined, not an error. Throws ProviderError.
    virtual boost::asio::awaitable<ChargeResult> create_charge(const ChargeRequest& request) = 0;

    // Reads the current status of a charge. Throws ProviderError.
    virtual boost::asio::awaitable<ChargeStatus> fetch_status(const std::string& provider_payment_id) = 0;

    // Verifies the signature over the raw body and parses the event. `headers` has
    // lower-case names. Throws SignatureError for a bad signature or an unreadable body.
    virtual WebhookEvent verify_webhook(const std::map<std::string, std::string>& headers, std::string_view raw_body,
                                        std::chrono::system_clock::time_point now) const = 0;
};

}  // namespace bijou::payments
