#include "checkout/routes.hpp"

#include <boost/json.hpp>

#include "auth/service.hpp"
#include "core/cpf.hpp"
#include "core/ids.hpp"
#include "http/json_body.hpp"

namespace bijou::checkout {

namespace json = boost::json;
using http::beast_http::field;

namespace {

// 1 to 255 visible ASCII characters, as clients generate them (usually a UUID).
std::string idempotency_key_of(const http::Request& request) {
    auto key = request.raw["Idempotency-Key"];
    bool valid = !key.empty() && key.size() <= 255 &&
                 std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (!valid) throw ApiError(ErrorCode::idempotency_key_required, "Idempotency-Key missing or malformed");
    return std::string(key);
}

}  // namespace

void add_routes(http::Pipeline& pipeline, Service& checkout, auth::AccountService& accounts) {
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(http::Verb::post, "/v1/checkout", [&checkout, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        auto key = idempotency_key_of(request);

        http::BodyReader body(request, {"address_id", "address", "shipping_option", "payment_method", "card_token",
                                        "card_brand", "cpf"});
        Request order;
        order.user_id = principal.user_id;
        order.address_id = body.string("address_id", false, 36);
        if (order.address_id && !Uuid::parse(*order.address_id)) body.add_error("address_id", "invalid_format");
        if (auto nested = body.object("address", false, shipping::kAddressFields)) {
            auto fields = shipping::AddressFields::read(*nested, true);
            shipping::Address address;
            fields.apply(address, *nested);
            order.address = address;
        }
        if (body.has("address_id") == body.has("address")) {
            body.add_error("address", "one_of", {{"fields", "address_id, address"}});
        }
        auto option = body.string("shipping_option", true, 40);
        if (option && *option != "economy" && *option != "express") {
            body.add_error("shipping_option", "unknown_value", {{"allowed", "economy, express"}});
        }
        auto method = body.string("payment_method", true, 10);
        if (method == std::optional<std::string>("pix")) order.method = payments::Method::pix;
        else if (method == std::optional<std::string>("card")) order.method = payments::Method::card;
        else if (method == std::optional<std::string>("boleto")) order.method = payments::Method::boleto;
        else if (method) body.add_error("payment_method", "unknown_value", {{"allowed", "pix, card, boleto"}});
        order.card_token = body.string("card_token", false, 200);
        order.card_brand = body.string("card_brand", false, 30);
        if (method == std::optional<std::string>("card") && !order.card_token) body.add_error("card_token", "required");
        if (method && *method != "card" && order.card_token) body.add_error("card_token", "unknown_field");
        if (auto cpf = body.string("cpf", false, 14)) {
            order.cpf = normalize_cpf(*cpf);
            if (!order.cpf) body.add_error("cpf", "invalid_cpf");
        }
        body.finish();
        if (option) order.shipping_option = *option;

        auto request_hash = auth::sha256_hex("POST /v1/checkout\n" + request.raw.body());
        auto outcome = co_await checkout.place(order, key, request_hash);
        auto response = http::json_response(request, outcome.body, static_cast<http::Status>(outcome.status));
        if (outcome.replayed) response.set("Idempotent-Replayed", "true");
        co_return response;
    });
}

}  // namespace bijou::checkout
