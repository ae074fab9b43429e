#include "payments/sandbox.hpp"

#include <boost/json.hpp>

#include "payments/boleto.hpp"
#include "payments/mercadopago.hpp"
#include "payments/pix.hpp"
#include "payments/qr.hpp"
#include "payments/signatures.hpp"
#include "payments/stripe.hpp"

namespace bijou::payments {

namespace json = boost::json;

namespace {

// A 44-digit barcode in the layout of a bank boleto (bank 001 "Banco do Brasil" number
// space, currency 9, a general check digit, due-date factor, amount, free field), built
// from the payment id. It identifies the sandbox payment only; no bank would accept it.
std::string sandbox_barcode(std::string_view payment_id, std::int64_t amount, std::chrono::system_clock::time_point due) {
    std::string digits;
    for (char c : payment_id) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) continue;
        int value = std::stoi(std::string(1, c), nullptr, 16);
        digits += static_cast<char>('0' + value % 10);
    }
    char amount_text[24];
    std::snprintf(amount_text, sizeof amount_text, "%010lld", static_cast<long long>(amount % 10'000'000'000LL));
    // Due-date factor: days since 2025-02-22, counted from 1000, the base FEBRABAN set when
    // the old factor reached 9999.
    constexpr std::chrono::sys_days kFactorBase{std::chrono::year{2025} / 2 / 22};
    auto days = std::chrono::floor<std::chrono::days>(due - kFactorBase).count();
    char factor[8];
    std::snprintf(factor, sizeof factor, "%04lld", static_cast<long long>(1000 + std::max<long long>(0, days) % 9000));
    std::string without_check = "0019" + std::string(factor) + amount_text + digits.substr(digits.size() - 25);
    // General check digit (position 5), modulo 11 with weights 2..9 from the right.
    int sum = 0;
    int weight = 2;
    for (auto it = without_check.rbegin(); it != without_check.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = weight == 9 ? 2 : weight + 1;
    }
    int check = 11 - sum % 11;
    if (check == 0 || check == 10 || check == 11) check = 1;
    return without_check.substr(0, 4) + static_cast<char>('0' + check) + without_check.substr(4);
}

class SandboxProvider final : public Provider {
public:
    explicit SandboxProvider(const PaymentsConfig& config) : config_(config) {}

    std::string_view name() const override { return "sandbox"; }

    boost::asio::awaitable<ChargeResult> create_charge(const ChargeRequest& request) override {
        ChargeResult result;
        result.provider_payment_id = "sbx_" + request.payment_id;
        switch (request.method) {
            case Method::pix: {
                PixPayload payload;
                payload.key = config_.pix_key;
                payload.amount = request.amount;
                payload.merchant_name = config_.merchant_name;
                payload.merchant_city = config_.merchant_city;
                payload.txid = pix_txid_from_payment_id(request.payment_id);
                payload.description = request.order_number;
                PixCharge pix;
                pix.copy_paste = build_pix_code(payload);
                pix.qr_code_png_base64 = qr_png_base64(pix.copy_paste);
                pix.expires_at = request.expires_at;
                result.pix = std::move(pix);
                break;
            }
            case Method::boleto: {
                BoletoCharge boleto;
                boleto.barcode = sandbox_barcode(request.payment_id, request.amount, request.expires_at);
                boleto.digitable_line = boleto_digitable_line(boleto.barcode);
                boleto.url = "https://sandbox.bijou.invalid/boletos/" + request.payment_id;
                result.boleto = std::move(boleto);
                break;
            }
            case Method::card: {
                auto token = request.card_token.value_or("");
                if (token == kSandboxApprovedCard) {
                    result.status = ChargeStatus::approved;
                } else {
                    result.status = ChargeStatus::declined;
                    result.failure_reason = token == kSandboxDeclinedCard ? "card_declined" : "invalid_card_token";
                }
                break;
            }
        }
        co_return result;
    }

    boost::asio::awaitable<ChargeStatus> fetch_status(const std::string&) override {
        // Sandbox events always carry their status, so this is never needed.
        co_return ChargeStatus::pending;
    }

    WebhookEvent verify_webhook(const std::map<std::string, std::string>& headers, std::string_view raw_body,
                                std::chrono::system_clock::time_point now) const override {
        auto header = headers.find("stripe-signature");
        std::optional<std::string_view> signature;
        if (header != headers.end()) signature = header->second;
        stripe_verify(signature, config_.sandbox_webhook_secret, raw_body, now, config_.webhook_tolerance);

        json::value body;
        try {
            body = json::parse(raw_body);
        } catch (const std::exception&) {
            throw SignatureError("signed body is not JSON");
        }
        const auto* event = body.if_object();
        const auto* id = event ? event->if_contains("id") : nullptr;
        const auto* type = event ? event->if_contains("type") : nullptr;
        const json::value* object = nullptr;
        if (event && event->contains("data") && event->at("data").is_object()) object = event->at("data").as_object().if_contains("object");
        const auto* intent = object && object->is_object() ? object->as_object().if_contains("id") : nullptr;
        if (!id || !id->is_string() || !type || !type->is_string() || !intent || !intent->is_string()) {
            throw SignatureError("event lacks id, type or data.object.id");
        }
        WebhookEvent parsed;
        parsed.event_id = std::string(id->as_string());
        parsed.type = std::string(type->as_string());
        parsed.provider_payment_id = std::string(intent->as_string());
        if (parsed.type == "payment_intent.succeeded") parsed.status = ChargeStatus::approved;
        else if (parsed.type == "payment_intent.payment_failed") parsed.status = ChargeStatus::declined;
        else parsed.status = ChargeStatus::pending;
        return parsed;
    }

private:
    const PaymentsConfig& config_;
};

}  // namespace

std::string sandbox_event_body(std::string_view event_key, std::string_view provider_payment_id,
                               std::string_view payment_id, bool approved) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    json::object intent{{"id", provider_payment_id},
                        {"object", "payment_intent"},
                        {"status", approved ? "succeeded" : "requires_payment_method"},
                        {"metadata", json::object{{"payment_id", payment_id}}}};
    json::object event{{"id", "evt_sbx_" + std::string(event_key)},
                       {"object", "event"},
                       {"type", approved ? "payment_intent.succeeded" : "payment_intent.payment_failed"},
                       {"created", now.count()},
                       {"data", json::object{{"object", std::move(intent)}}}};
    return json::serialize(event);
}

std::unique_ptr<Provider> make_sandbox_provider(const PaymentsConfig& config) {
    return std::make_unique<SandboxProvider>(config);
}

std::unique_ptr<Provider> make_provider(const PaymentsConfig& config) {
    if (config.provider == "mercadopago") return make_mercadopago_provider(config);
    if (config.provider == "stripe") return make_stripe_provider(config);
    return make_sandbox_provider(config);
}

}  // namespace bijou::payments
