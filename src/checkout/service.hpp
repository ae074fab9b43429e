#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "db/pool.hpp"
#include "payments/provider.hpp"
#include "shipping/address_book.hpp"
#include "shipping/rate_table.hpp"

namespace bijou::checkout {

// A checkout request after body validation.
struct Request {
    std::string user_id;
    std::optional<std::string> address_id;
    std::optional<shipping::Address> address;
    std::string shipping_option;
    payments::Method method = payments::Method::pix;
    std::optional<std::string> card_token;
    std::optional<std::string> card_brand;
    std::optional<std::string> cpf;
};

// A response to send, and whether it replays a stored one.
struct Outcome {
    int status = 201;
    std::string body;
    bool replayed = false;
};

// Turns a customer's cart into an order and starts its payment, in four steps:
//  1. Claims the Idempotency-Key. A replay with the same body gets the stored response,
//     one with another body 422, and one while the first still runs 409.
//  2. In one transaction, re-prices the cart from the catalog, quotes shipping, creates
//     the order with copies of names, SKUs and prices, and reserves the stock of variants
//     and pendants together. Inventory rows are locked in id order, so concurrent buyers
//     never oversell and never deadlock. Then opens the payment and closes the cart.
//  3. Requests the charge from the provider (Pix code and QR, boleto, or the card verdict),
//     up to three times with the same idempotency key.
//  4. Stores the response under the key.
// When the provider stays unreachable, a Pix or boleto order keeps its stock and the
// worker requests the charge later. A card order is cancelled, its stock released, the
// cart reopened and the key freed, and the client gets 502.
class Service {
public:
    Service(db::Pool& pool, payments::Provider& provider, shipping::AddressBook& addresses,
            const shipping::RateTable& rates, const Config& config)
        : pool_(pool), provider_(provider), addresses_(addresses), rates_(rates), config_(config) {}

    boost::asio::awaitable<Outcome> place(const Request& request, const std::string& idempotency_key,
                                          const std::string& request_hash);

private:
    // The time an order keeps its stock reserved, and when its charge expires at the provider.
    struct Deadline {
        std::chrono::seconds hold{0};
        std::chrono::system_clock::time_point charge_expires;
        // A boleto's due date, YYYY-MM-DD in São Paulo.
        std::optional<std::string> due_date;
    };

    struct Placed {
        std::string order_id;
        std::string order_number;
        std::string payment_id;
        std::string cart_id;
        std::int64_t total = 0;
        std::string email;
        std::string name;
        std::optional<std::string> cpf;
        Deadline deadline;
    };

    Deadline deadline(payments::Method method, std::chrono::system_clock::time_point now) const;

    boost::asio::awaitable<Placed> create_order(const Request& request, const shipping::Address& address);
    boost::asio::awaitable<boost::json::object> start_payment(const Request& request, const Placed& placed);
    boost::asio::awaitable<void> undo(const Placed& placed, const std::string& user_id);
    std::chrono::seconds reservation(payments::Method method) const;

    db::Pool& pool_;
    payments::Provider& provider_;
    shipping::AddressBook& addresses_;
    const shipping::RateTable& rates_;
    const Config& config_;
};

std::string_view method_name(payments::Method method);

}  // namespace bijou::checkout
