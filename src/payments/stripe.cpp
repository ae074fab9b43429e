#include "payments/stripe.hpp"

#include <boost/json.hpp>

#include <utility>
#include <vector>

#include "core/log.hpp"
#include "payments/api_json.hpp"
#include "payments/http_client.hpp"
#include "payments/pix.hpp"
#include "payments/qr.hpp"
#include "payments/signatures.hpp"

namespace bijou::payments {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kName = "stripe";
constexpr std::size_t kMaxResponseBytes = 1024 * 1024;
constexpr std::size_t kMaxReasonLength = 500;

json::value parse_body(std::string_view operation, const ApiResponse& response) {
    boost::system::error_code ec;
    auto value = json::parse(response.body, ec);
    if (ec || !value.is_object()) {
        throw ProviderError("stripe " + std::string(operation) + " returned HTTP " + std::to_string(response.status) +
                                " with a body that is not a JSON object",
                            response.status >= 500, response.status);
    }
    return value;
}

// The error text of a Stripe error body: error.message, then error.code or, when there is
// no code, error.type (such as idempotency_error).
std::string error_detail(const ApiResponse& response) {
    boost::system::error_code ec;
    auto value = json::parse(response.body, ec);
    if (ec) return response.body.substr(0, 200);
    auto detail = text_at(value, {"error", "message"});
    auto code = text_at(value, {"error", "code"});
    if (code.empty()) code = text_at(value, {"error", "type"});
    if (!code.empty()) detail += " (" + code + ")";
    return detail;
}

// The reason of a failed attempt: the decline code when Stripe gives one, else its message.
std::string failure_reason(const json::value& error) {
    auto reason = text_at(error, {"decline_code"});
    if (reason.empty()) reason = text_at(error, {"code"});
    auto message = text_at(error, {"message"});
    if (!message.empty()) reason += (reason.empty() ? "" : ": ") + message;
    return reason.substr(0, kMaxReasonLength);
}

ChargeResult read_payment_intent(const json::value& intent, const ChargeRequest& request) {
    ChargeResult result;
    result.provider_payment_id = text_at(intent, {"id"});
    if (result.provider_payment_id.empty()) throw ProviderError("stripe returned a PaymentIntent without an id", false);
    result.status = stripe_status(text_at(intent, {"status"}));
    const auto* error = find_path(intent, {"last_payment_error"});
    if (result.status == ChargeStatus::declined && error != nullptr && error->is_object()) {
        result.failure_reason = failure_reason(*error);
    }
    if (result.status == ChargeStatus::pending && request.method == Method::pix) {
        PixCharge pix;
        pix.copy_paste = text_at(intent, {"next_action", "pix_display_qr_code", "data"});
        if (pix.copy_paste.empty()) {
            throw ProviderError("stripe returned a Pix PaymentIntent without next_action.pix_display_qr_code.data",
                                false);
        }
        try {
            parse_pix_code(pix.copy_paste);
        } catch (const std::invalid_argument& invalid) {
            throw ProviderError("stripe returned an invalid Pix code: " + std::string(invalid.what()), false);
        }
        // image_url_png is a link to Stripe's image; checkout wants the image itself, so
        // it is drawn here from the same code instead of downloaded.
        pix.qr_code_png_base64 = qr_png_base64(pix.copy_paste);
        const auto* expires = find_path(intent, {"next_action", "pix_display_qr_code", "expires_at"});
        if (expires != nullptr && expires->is_int64()) {
            pix.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(expires->as_int64()));
        } else {
            pix.expires_at = request.expires_at;
        }
        result.pix = std::move(pix);
    }
    return result;
}

class StripeProvider final : public Provider {
public:
    explicit StripeProvider(const PaymentsConfig& config)
        : config_(config.stripe), tolerance_(config.webhook_tolerance), client_(config.timeout, kMaxResponseBytes) {}

    std::string_view name() const override { return kName; }

    asio::awaitable<ChargeResult> create_charge(const ChargeRequest& request) override {
        ApiRequest call;
        call.method = "POST";
        call.url = config_.base_url + "/v1/payment_intents";
        call.basic_auth_user = config_.secret_key;
        call.headers = {"Content-Type: application/x-www-form-urlencoded", "Idempotency-Key: " + request.payment_id};
        call.body = stripe_payment_intent_body(request);

        auto response = co_await client_.send(call);
        // A declined card is HTTP 402 with error.type card_error and the PaymentIntent,
        // which now has last_payment_error, inside the error.
        if (response.status == 402) {
            auto body = parse_body("POST /v1/payment_intents", response);
            if (const auto* intent = find_path(body, {"error", "payment_intent"});
                intent != nullptr && intent->is_object()) {
                auto result = read_payment_intent(*intent, request);
                result.status = ChargeStatus::declined;
                if (const auto* error = find_path(body, {"error"})) result.failure_reason = failure_reason(*error);
                co_return result;
            }
        }
        if (response.status < 200 || response.status >= 300) {
            auto detail = error_detail(response);
            log::warn("stripe payment creation failed",
                      {{"payment_id", request.payment_id}, {"status", response.status}, {"detail", detail}});
            throw_for_status(kName, "POST /v1/payment_intents", response, detail);
        }
        auto intent = parse_body("POST /v1/payment_intents", response);
        co_return read_payment_intent(intent, request);
    }

    asio::awaitable<ChargeStatus> fetch_status(const std::string& provider_payment_id) override {
        ApiRequest call;
        call.url = config_.base_url + "/v1/payment_intents/" + percent_encode(provider_payment_id);
        call.basic_auth_user = config_.secret_key;
        auto response = co_await client_.send(call);
        throw_for_status(kName, "GET /v1/payment_intents/{id}", response, error_detail(response));
        auto intent = parse_body("GET /v1/payment_intents/{id}", response);
        co_return stripe_status(text_at(intent, {"status"}));
    }

    WebhookEvent verify_webhook(const std::map<std::string, std::string>& headers, std::string_view raw_body,
                                std::chrono::system_clock::time_point now) const override {
        auto header = headers.find("stripe-signature");
        std::optional<std::string_view> signature;
        if (header != headers.end()) signature = header->second;
        stripe_verify(signature, config_.webhook_secret, raw_body, now, tolerance_);

        boost::system::error_code ec;
        auto body = json::parse(raw_body, ec);
        if (ec || !body.is_object()) throw SignatureError("stripe webhook body is not a JSON object");
        WebhookEvent event;
        event.event_id = text_at(body, {"id"});
        event.type = text_at(body, {"type"});
        if (event.event_id.empty() || event.type.empty())
            throw SignatureError("stripe webhook event has no id or type");

        auto object_kind = text_at(body, {"data", "object", "object"});
        if (object_kind == "payment_intent") {
            event.provider_payment_id = text_at(body, {"data", "object", "id"});
        } else {
            // Charge and refund events name their PaymentIntent in a field.
            event.provider_payment_id = text_at(body, {"data", "object", "payment_intent"});
        }
        if (event.type == "payment_intent.succeeded") {
            event.status = ChargeStatus::approved;
        } else if (event.type == "payment_intent.payment_failed" || event.type == "payment_intent.canceled") {
            event.status = ChargeStatus::declined;
        } else if (event.type == "payment_intent.processing" || event.type == "payment_intent.requires_action") {
            event.status = ChargeStatus::pending;
        }
        return event;
    }

private:
    StripeConfig config_;
    std::chrono::seconds tolerance_;
    ApiClient client_;
};

void add_field(std::string& form, std::string_view name, std::string_view value) {
    if (!form.empty()) form += '&';
    form += percent_encode(name);
    form += '=';
    form += percent_encode(value);
}

}  // namespace

std::string stripe_payment_intent_body(const ChargeRequest& request) {
    if (request.amount <= 0) throw ProviderError("stripe payment amount must be positive", false);
    std::string form;
    add_field(form, "amount", std::to_string(request.amount));
    add_field(form, "currency", "brl");
    add_field(form, "confirm", "true");
    add_field(form, "description", request.description);
    add_field(form, "receipt_email", request.payer_email);
    add_field(form, "metadata[payment_id]", request.payment_id);
    add_field(form, "metadata[order_number]", request.order_number);
    switch (request.method) {
        case Method::card:
            if (!request.card_token || request.card_token->empty()) {
                throw ProviderError("stripe card payment needs a PaymentMethod id in card_token", false);
            }
            add_field(form, "payment_method_types[]", "card");
            add_field(form, "payment_method", *request.card_token);
            break;
        case Method::pix: {
            add_field(form, "payment_method_types[]", "pix");
            add_field(form, "payment_method_data[type]", "pix");
            add_field(form, "payment_method_data[billing_details][name]", request.payer_name);
            add_field(form, "payment_method_data[billing_details][email]", request.payer_email);
            auto expires =
                std::chrono::duration_cast<std::chrono::seconds>(request.expires_at.time_since_epoch()).count();
            add_field(form, "payment_method_options[pix][expires_at]", std::to_string(expires));
            break;
        }
        case Method::boleto:
            // TODO: Stripe offers boleto too, but it needs the payer's address, which ChargeRequest lacks.
            throw ProviderError("stripe adapter does not offer boleto; use Pix or card", false);
    }
    return form;
}

ChargeStatus stripe_status(std::string_view status) {
    if (status == "succeeded") return ChargeStatus::approved;
    // requires_payment_method after a confirmation means the attempt failed; canceled
    // includes an expired Pix code.
    if (status == "requires_payment_method" || status == "canceled") return ChargeStatus::declined;
    // processing, requires_action (the Pix code waits to be paid, or 3-D Secure),
    // requires_confirmation, requires_capture.
    return ChargeStatus::pending;
}

std::unique_ptr<Provider> make_stripe_provider(const PaymentsConfig& config) {
    return std::make_unique<StripeProvider>(config);
}

}  // namespace bijou::payments
