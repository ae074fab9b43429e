#include "shipping/routes.hpp"

#include <boost/json.hpp>

#include "cart/routes.hpp"
#include "shipping/service.hpp"

namespace bijou::shipping {

namespace json = boost::json;
using http::beast_http::field;

void add_routes(http::Pipeline& pipeline, AddressBook& addresses, const RateTable& rates, cart::Service& carts,
                auth::AccountService& accounts, db::Pool& pool) {
    using http::Verb;
    using Awaitable = boost::asio::awaitable<http::Response>;

    pipeline.add(Verb::get, "/v1/me/addresses", [&addresses, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        auto items = co_await addresses.list(principal.user_id);
        json::object body{{"items", std::move(items)}};
        co_return http::json_response(request, json::serialize(body));
    });

    pipeline.add(Verb::post, "/v1/me/addresses", [&addresses, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        http::BodyReader body(request, kAddressFields);
        auto fields = AddressFields::read(body, true);
        Address address;
        fields.apply(address, body);
        body.finish();
        auto id = co_await addresses.create(principal.user_id, address);
        auto stored = co_await addresses.get(principal.user_id, id);
        co_return http::json_response(request, json::serialize(address_json(id, stored)), http::Status::created);
    });

    pipeline.add(Verb::patch, "/v1/me/addresses/{id}", [&addresses, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        std::string id(request.params.get("id"));
        auto address = co_await addresses.get(principal.user_id, id);
        http::BodyReader body(request, kAddressFields);
        auto fields = AddressFields::read(body, false);
        fields.apply(address, body);
        body.finish();
        co_await addresses.update(principal.user_id, id, address);
        auto stored = co_await addresses.get(principal.user_id, id);
        co_return http::json_response(request, json::serialize(address_json(id, stored)));
    });

    pipeline.add(Verb::delete_, "/v1/me/addresses/{id}", [&addresses, &accounts](http::Request& request) -> Awaitable {
        auto principal = co_await accounts.authenticate(request.raw[field::authorization]);
        std::string id(request.params.get("id"));
        co_await addresses.remove(principal.user_id, id);
        co_return http::Response{http::Status::no_content, request.raw.version()};
    });

    pipeline.add(Verb::post, "/v1/shipping/quote", [&rates, &carts, &accounts, &pool](http::Request& request) -> Awaitable {
        auto owner = co_await cart::owner_of(request, accounts);
        http::BodyReader body(request, {"cep"});
        auto cep = body.string("cep", true, 9);
        std::vector<FieldError> errors;
        std::optional<Destination> destination;
        if (cep) destination = destination_of(*cep, errors, "cep");
        for (auto& error : errors) body.add_error(error.field, error.code, error.args);
        body.finish();

        std::vector<cart::Line> lines;
        {
            auto lease = co_await pool.acquire();
            auto cart_id = co_await carts.find(*lease, owner);
            if (cart_id) lines = co_await cart::load_lines(*lease, *cart_id);
        }
        if (lines.empty()) {
            throw ApiError(ErrorCode::cart_empty, "quote needs a cart with items");
        }
        auto options = options_for(rates, rates.handling_days(), lines, *destination, std::chrono::system_clock::now());
        json::array list;
        for (const auto& option : options) list.push_back(option_json(option));
        json::object answer{{"cep", destination->cep},
                            {"uf", destination->uf},
                            {"free_shipping_threshold", rates.free_shipping_threshold()},
                            {"options", std::move(list)}};
        co_return http::json_response(request, json::serialize(answer));
    });
}

}  // namespace bijou::shipping
