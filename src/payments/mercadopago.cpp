#include "payments/mercadopago.hpp"

#include <boost/json.hpp>

#include <stdexcept>

#include "core/log.hpp"
#include "payments/api_json.hpp"
#include "payments/boleto.hpp"
#include "payments/http_client.hpp"
#include "payments/pix.hpp"
#include "payments/qr.hpp"
#include "payments/signatures.hpp"

namespace bijou::payments {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kName = "mercadopago";
constexpr std::size_t kMaxResponseBytes = 1024 * 1024;
// payment.failure_reason has a limit of 500 characters.
constexpr std::size_t kMaxReasonLength = 500;

// Reais with two decimals from centavos, without floating point: 12990 -> "129.90".
std::string format_reais(std::int64_t centavos) {
    auto cents = centavos % 100;
    return std::to_string(centavos / 100) + (cents < 10 ? ".0" : ".") + std::to_string(cents);
}

json::value parse_body(std::string_view operation, const ApiResponse& response) {
    boost::system::error_code ec;
    auto value = json::parse(response.body, ec);
    if (ec || !value.is_object()) {
        throw ProviderError("mercadopago " + std::string(operation) + " returned HTTP " +
                                std::to_string(response.status) + " with a body that is not a JSON object",
                            response.status >= 500, response.status);
    }
    return value;
}

// The error text of a Mercado Pago error body: "message" and the first cause's description.
std::string error_detail(const ApiResponse& response) {
    boost::system::error_code ec;
    auto value = json::parse(response.body, ec);
    if (ec) return response.body.substr(0, 200);
    auto detail = text_at(value, {"message"});
    if (const auto* causes = find_path(value, {"cause"});
        causes != nullptr && causes->is_array() && !causes->as_array().empty()) {
        auto cause = text_at(causes->as_array().front(), {"description"});
        if (!cause.empty()) detail += (detail.empty() ? "" : " (") + cause + (detail.empty() ? "" : ")");
    }
    return detail;
}

PixCharge read_pix(const json::value& payment, const ChargeRequest& request) {
    PixCharge pix;
    pix.copy_paste = text_at(payment, {"point_of_interaction", "transaction_data", "qr_code"});
    if (pix.copy_paste.empty()) {
        throw ProviderError("mercadopago returned a Pix payment without point_of_interaction.transaction_data.qr_code",
                            false);
    }
    try {
        parse_pix_code(pix.copy_paste);
    } catch (const std::invalid_argument& error) {
        throw ProviderError("mercadopago returned an invalid Pix code: " + std::string(error.what()), false);
    }
    pix.qr_code_png_base64 = text_at(payment, {"point_of_interaction", "transaction_data", "qr_code_base64"});
    if (pix.qr_code_png_base64.empty()) pix.qr_code_png_base64 = qr_png_base64(pix.copy_paste);
    auto expiry = parse_rfc3339(text_at(payment, {"date_of_expiration"}));
    pix.expires_at = expiry ? *expiry : request.expires_at;
    return pix;
}

BoletoCharge read_boleto(const json::value& payment) {
    BoletoCharge boleto;
    boleto.url = text_at(payment, {"transaction_details", "external_resource_url"});
    auto barcode = text_at(payment, {"barcode", "content"});
    if (barcode.empty()) barcode = text_at(payment, {"transaction_details", "barcode", "content"});
    boleto.barcode = digits_only(barcode);
    if (boleto.barcode.size() != 44) {
        throw ProviderError("mercadopago returned a boleto without a 44-digit barcode", false);
    }
    boleto.digitable_line = digits_only(text_at(payment, {"transaction_details", "digitable_line"}));
    if (boleto.digitable_line.size() != 47) boleto.digitable_line = boleto_digitable_line(boleto.barcode);
    return boleto;
}

class MercadoPagoProvider final : public Provider {
public:
    explicit MercadoPagoProvider(const PaymentsConfig& config)
        : config_(config.mercadopago),
          tolerance_(config.webhook_tolerance),
          client_(config.timeout, kMaxResponseBytes) {}

    std::string_view name() const override { return kName; }

    asio::awaitable<ChargeResult> create_charge(const ChargeRequest& request) override {
        ApiRequest call;
        call.method = "POST";
        call.url = config_.base_url + "/v1/payments";
        call.headers = auth_headers();
        call.headers.push_back("Content-Type: application/json");
        call.headers.push_back("X-Idempotency-Key: " + request.payment_id);
        call.body = mercadopago_payment_body(request);

        auto response = co_await client_.send(call);
        if (response.status < 200 || response.status >= 300) {
            auto detail = error_detail(response);
            log::warn("mercadopago payment creation failed",
                      {{"payment_id", request.payment_id}, {"status", response.status}, {"detail", detail}});
            throw_for_status(kName, "POST /v1/payments", response, detail);
        }
        auto payment = parse_body("POST /v1/payments", response);

        ChargeResult result;
        result.provider_payment_id = text_at(payment, {"id"});
        if (result.provider_payment_id.empty()) {
            throw ProviderError("mercadopago POST /v1/payments returned no payment id", false, response.status);
        }
        result.status = mercadopago_status(text_at(payment, {"status"}));
        if (result.status == ChargeStatus::declined) {
            result.failure_reason = text_at(payment, {"status_detail"}).substr(0, kMaxReasonLength);
        } else if (request.method == Method::pix) {
            result.pix = read_pix(payment, request);
        } else if (request.method == Method::boleto) {
            result.boleto = read_boleto(payment);
        }
        co_return result;
    }

    asio::awaitable<ChargeStatus> fetch_status(const std::string& provider_payment_id) override {
        ApiRequest call;
        call.url = config_.base_url + "/v1/payments/" + percent_encode(provider_payment_id);
        call.headers = auth_headers();
        auto response = co_await client_.send(call);
        throw_for_status(kName, "GET /v1/payments/{id}", response, error_detail(response));
        auto payment = parse_body("GET /v1/payments/{id}", response);
        co_return mercadopago_status(text_at(payment, {"status"}));
    }

    WebhookEvent verify_webhook(const std::map<std::string, std::string>& headers, std::string_view raw_body,
                                std::chrono::system_clock::time_point now) const override {
        boost::system::error_code ec;
        auto body = json::parse(raw_body, ec);
        if (ec || !body.is_object()) throw SignatureError("mercadopago webhook body is not a JSON object");
        // Mercado Pago signs the data.id of the query string. Provider::verify_webhook gets no
        // query string, so the body's data.id, which Mercado Pago sets to the same value, is used.
        auto data_id = text_at(body, {"data", "id"});
        if (data_id.empty()) throw SignatureError("mercadopago webhook body has no data.id");

        auto header = headers.find("x-signature");
        auto request_id = headers.find("x-request-id");
        std::optional<std::string_view> signature;
        std::optional<std::string_view> request_id_value;
        if (header != headers.end()) signature = header->second;
        if (request_id != headers.end()) request_id_value = request_id->second;
        mercadopago_verify(signature, data_id, request_id_value, config_.webhook_secret, now, tolerance_);

        WebhookEvent event;
        event.event_id = text_at(body, {"id"});
        if (event.event_id.empty() && request_id_value) event.event_id = std::string(*request_id_value);
        if (event.event_id.empty()) throw SignatureError("mercadopago webhook has neither an id nor an x-request-id");
        event.provider_payment_id = data_id;
        event.type = text_at(body, {"action"});
        if (event.type.empty()) event.type = text_at(body, {"type"});
        return event;
    }

private:
    std::vector<std::string> auth_headers() const {
        return {"Authorization: Bearer " + config_.access_token, "Accept: application/json"};
    }

    MercadoPagoConfig config_;
    std::chrono::seconds tolerance_;
    ApiClient client_;
};

}  // namespace

std::string mercadopago_payment_body(const ChargeRequest& request) {
    json::object body;
    body["description"] = request.description;
    body["external_reference"] = request.order_number;
    body["metadata"] = {{"payment_id", request.payment_id}, {"order_number", request.order_number}};

    json::object payer;
    payer["email"] = request.payer_email;
    auto space = request.payer_name.find(' ');
    payer["first_name"] = request.payer_name.substr(0, space);
    if (space != std::string::npos) payer["last_name"] = request.payer_name.substr(space + 1);
    if (request.payer_cpf) payer["identification"] = {{"type", "CPF"}, {"number", *request.payer_cpf}};

    switch (request.method) {
        case Method::pix:
            body["payment_method_id"] = "pix";
            body["date_of_expiration"] = format_brasilia_time(request.expires_at);
            break;
        case Method::card:
            if (!request.card_token || request.card_token->empty()) {
                throw ProviderError("mercadopago card payment needs a card token", false);
            }
            body["token"] = *request.card_token;
            body["installments"] = 1;
            // NOTE: Mercado Pago's card form returns payment_method_id along with the token. Without
            // card_brand the field is left out, so the API has to infer the brand from the token.
            if (request.card_brand) body["payment_method_id"] = *request.card_brand;
            break;
        case Method::boleto:
            if (!request.payer_cpf) throw ProviderError("mercadopago boleto needs the payer's CPF", false);
            body["payment_method_id"] = "bolbradesco";
            body["date_of_expiration"] = format_brasilia_time(request.expires_at);
            // TODO: Mercado Pago may also ask for payer.address on boleto; ChargeRequest has no address yet.
            break;
    }
    body["payer"] = std::move(payer);

    // transaction_amount is a JSON number in reais. Boost.JSON would write a double in
    // exponent form (1.299e2), so the exact decimal text is spliced in front instead.
    if (request.amount <= 0) throw ProviderError("mercadopago payment amount must be positive", false);
    auto rest = json::serialize(body);
    return "{\"transaction_amount\":" + format_reais(request.amount) + "," + rest.substr(1);
}

ChargeStatus mercadopago_status(std::string_view status) {
    if (status == "approved") return ChargeStatus::approved;
    // authorized: a card reserved but not captured; in_process and in_mediation: under review.
    if (status == "pending" || status == "in_process" || status == "authorized" || status == "in_mediation") {
        return ChargeStatus::pending;
    }
    // rejected, cancelled (also an expired Pix or boleto), refunded, charged_back: not paid.
    return ChargeStatus::declined;
}

std::unique_ptr<Provider> make_mercadopago_provider(const PaymentsConfig& config) {
    return std::make_unique<MercadoPagoProvider>(config);
}

}  // namespace bijou::payments
