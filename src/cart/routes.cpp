#include "cart/routes.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "http/json_body.hpp"

namespace bijou::cart {

namespace json = boost::json;
using http::beast_http::field;

namespace {

constexpr std::string_view kCartTokenHeader = "X-Cart-Token";

http::Response cart_response(const http::Request& request, CartView& view, http::Status status) {
    if (view.new_guest_token) view.cart["cart_token"] = *view.new_guest_token;
    auto response = http::json_response(request, json::serialize(view.cart), status);
    if (view.new_guest_token) response.set(kCartTokenHeader, *view.new_guest_token);
    return response;
}

std::optional<std::string> checked_uuid(http::BodyReader& body, std::string_view name, bool required) {
    auto text = body.string(name, required, 36);
    if (text && !Uuid::parse(*text)) {
        body.add_error(std::string(name), "invalid_format");
        return std::nullopt;
    }
    return text;
}

std::string item_id_of(const http::Request& request) {
    auto id = std::string(request.params.get("id"));
    if (!Uuid::parse(id)) throw ApiError(ErrorCode::cart_item_not_found, "cart item id is not a UUID");
    return id;
}

}  // namespace

boost::asio::awaitable<Owner> owner_of(const http::Request& request, auth::AccountService& accounts) {
    Owner owner;
    auto authorization = request.raw[field::authorization];
    if (!authorization.empty()) {
        auto principal = co_await accounts.authenticate(authorization);
        owner.user_id = principal.user_id;
    }
    auto token = request.raw[kCartTokenHeader];
    if (!token.empty()) {
        // Tokens are 43 base64url characters; anything else cannot match a cart.
        bool shaped = token.size() == 43 && std::all_of(token.begin(), token.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
                      });
        if (!shaped) throw ApiError(ErrorCode::cart_not_found, "malformed X-Cart-Token");
        owner.guest_token = std::string(token);
    }
    co_return owner;
}

void add_routes(http::Pipeline& pipeline, Service& carts, auth::AccountService& accounts) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(Verb::get, "/v1/cart", [&carts, &accounts](http::Request& request) -> Awaitable {
        auto owner = co_await owner_of(request, accounts);
        auto view = co_await carts.view(owner);
        co_return cart_response(request, view, http::Status::ok);
    });

    pipeline.add(Verb::post, "/v1/cart/items", [&carts, &accounts](http::Request& request) -> Awaitable {
        auto owner = co_await owner_of(request, accounts);
        http::BodyReader body(request, {"variant_id", "quantity", "pendant_option_id", "engraving"});
        NewItem item;
        auto variant = checked_uuid(body, "variant_id", true);
        item.pendant_option_id = checked_uuid(body, "pendant_option_id", false);
        auto quantity = body.integer("quantity", true, 1, kMaxLineQuantity);
        item.engraving = body.string("engraving", false, 30);
        if (item.engraving) {
            if (auto problem = engraving_problem(*item.engraving)) {
                body.add_error("engraving", *problem, {{"max", "30"}});
                item.engraving.reset();
            }
        }
        body.finish();
        item.variant_id = *variant;
        item.quantity = *quantity;
        auto view = co_await carts.add_item(owner, item);
        co_return cart_response(request, view, http::Status::created);
    });

    pipeline.add(Verb::patch, "/v1/cart/items/{id}", [&carts, &accounts](http::Request& request) -> Awaitable {
        auto owner = co_await owner_of(request, accounts);
        auto item_id = item_id_of(request);
        http::BodyReader body(request, {"quantity"});
        auto quantity = body.integer("quantity", true, 1, kMaxLineQuantity);
        body.finish();
        auto view = co_await carts.set_quantity(owner, item_id, *quantity);
        co_return cart_response(request, view, http::Status::ok);
    });

    pipeline.add(Verb::delete_, "/v1/cart/items/{id}", [&carts, &accounts](http::Request& request) -> Awaitable {
        auto owner = co_await owner_of(request, accounts);
        auto item_id = item_id_of(request);
        auto view = co_await carts.remove_item(owner, item_id);
        co_return cart_response(request, view, http::Status::ok);
    });
}

}  // namespace bijou::cart
