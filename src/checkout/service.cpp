#include "checkout/service.hpp"

#include <boost/json.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cart/repository.hpp"
#include "checkout_sql.hpp"
#include "core/brasilia.hpp"
#include "core/log.hpp"
#include "jobs/outbox.hpp"
#include "orders/stock.hpp"
#include "orders_sql.hpp"
#include "payments/processing.hpp"
#include "shipping/service.hpp"

namespace bijou::checkout {

namespace json = boost::json;

namespace {

const db::Statement kClaimKey{"checkout.claim_idempotency_key", sql::k_claim_idempotency_key};
const db::Statement kFindKey{"checkout.find_idempotency_key", sql::k_find_idempotency_key};
const db::Statement kDropExpiredKey{"checkout.drop_expired_idempotency_key", sql::k_drop_expired_idempotency_key};
const db::Statement kStoreResponse{"checkout.store_idempotency_response", sql::k_store_idempotency_response};
const db::Statement kReleaseKey{"checkout.release_idempotency_key", sql::k_release_idempotency_key};
const db::Statement kLockCart{"checkout.lock_customer_cart", sql::k_lock_customer_cart};
const db::Statement kContact{"checkout.customer_contact", sql::k_customer_contact};
const db::Statement kInsertOrder{"checkout.insert_order", sql::k_insert_order};
const db::Statement kInsertItem{"checkout.insert_order_item", sql::k_insert_order_item};
const db::Statement kInsertPayment{"checkout.insert_payment", sql::k_insert_payment};
const db::Statement kCloseCart{"checkout.close_cart", sql::k_close_cart};
const db::Statement kReopenCart{"checkout.reopen_cart", sql::k_reopen_cart};
const db::Statement kCancelCheckout{"checkout.cancel_checkout", sql::k_cancel_checkout};
const db::Statement kOrderJson{"orders.order_json", orders::sql::k_order_json};
const db::Statement kLockOrder{"orders.lock_order", orders::sql::k_lock_order};

// Keys are kept a day, the window in which clients retry.
constexpr std::chrono::seconds kKeyLifetime{24 * 3600};
constexpr int kTransactionAttempts = 3;
constexpr int kChargeAttempts = 3;
constexpr std::chrono::milliseconds kChargeRetryDelay{500};

bool is_retryable(const db::DbError& error) {
    // Deadlock detected, serialization failure.
    return error.sqlstate() == "40P01" || error.sqlstate() == "40001";
}

}  // namespace

std::string_view method_name(payments::Method method) {
    switch (method) {
        case payments::Method::pix: return "pix";
        case payments::Method::card: return "card";
        case payments::Method::boleto: return "boleto";
    }
    return "pix";
}

Service::Deadline Service::deadline(payments::Method method, std::chrono::system_clock::time_point now) const {
    Deadline result;
    if (method != payments::Method::boleto) {
        result.hold = reservation(method);
        result.charge_expires = now + result.hold;
        return result;
    }
    // A boleto can be paid all through its due date in São Paulo, and banks settle it a
    // day or more later, so its stock is held until the end of that date plus a margin.
    auto due_day = brasilia_date(now + config_.checkout.boleto_reservation);
    auto due_end = std::chrono::sys_time<std::chrono::seconds>(due_day + std::chrono::days(1)) - kBrasiliaOffset;
    result.charge_expires = due_end;
    result.hold = std::chrono::ceil<std::chrono::seconds>(due_end + config_.checkout.boleto_settlement - now);
    result.due_date = iso_date(due_day);
    return result;
}

std::chrono::seconds Service::reservation(payments::Method method) const {
    switch (method) {
        case payments::Method::pix: return config_.checkout.pix_reservation;
        case payments::Method::card: return config_.checkout.card_reservation;
        case payments::Method::boleto: return config_.checkout.boleto_reservation;
    }
    return config_.checkout.pix_reservation;
}

boost::asio::awaitable<Outcome> Service::place(const Request& request, const std::string& idempotency_key,
                                               const std::string& request_hash) {
    std::string scope = "user:" + request.user_id;
    db::Params claim{scope, idempotency_key, "\\x" + request_hash, std::to_string(kKeyLifetime.count())};
    auto claimed = co_await pool_.query(kClaimKey, claim);
    if (claimed.rows() == 0) {
        db::Params find{scope, idempotency_key};
        auto stored = co_await pool_.query(kFindKey, find);
        if (stored.rows() == 0) {
            // The key expired: it may be used again.
            co_await pool_.query(kDropExpiredKey, find);
            claimed = co_await pool_.query(kClaimKey, claim);
            if (claimed.rows() == 0) throw ApiError(ErrorCode::idempotency_in_progress, "key claimed concurrently");
        } else {
            if (stored.text(0, 0) != request_hash) {
                throw ApiError(ErrorCode::idempotency_key_reused, "Idempotency-Key used with another body");
            }
            if (stored.is_null(0, 1)) throw ApiError(ErrorCode::idempotency_in_progress, "first request still running");
            Outcome replay;
            replay.status = static_cast<int>(stored.int64(0, 1));
            replay.body = stored.text(0, 2);
            replay.replayed = true;
            co_return replay;
        }
    }

    db::Params key_params{scope, idempotency_key};
    std::exception_ptr failure;
    try {
        shipping::Address address;
        if (request.address_id) {
            address = co_await addresses_.get(request.user_id, *request.address_id);
        } else {
            address = *request.address;
        }
        std::optional<Placed> placed;
        for (int attempt = 1; !placed; ++attempt) {
            try {
                placed = co_await create_order(request, address);
            } catch (const db::DbError& error) {
                if (!is_retryable(error) || attempt == kTransactionAttempts) throw;
                log::warn("checkout transaction retried", {{"sqlstate", error.sqlstate()}, {"attempt", attempt}});
            }
        }
        auto body = co_await start_payment(request, *placed);
        Outcome outcome;
        outcome.body = json::serialize(body);
        db::Params store{scope, idempotency_key, std::to_string(outcome.status), outcome.body};
        co_await pool_.query(kStoreResponse, store);
        co_return outcome;
    } catch (...) {
        // Nothing was kept, so the client may retry with the same key. The release runs
        // below, outside the handler, because a coroutine cannot await inside one.
        failure = std::current_exception();
    }
    co_await pool_.query(kReleaseKey, key_params);
    std::rethrow_exception(failure);
}

boost::asio::awaitable<Service::Placed> Service::create_order(const Request& request, const shipping::Address& address) {
    co_return co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<Placed> {
        db::Params user{request.user_id};
        auto cart = co_await connection.execute(kLockCart, user);
        if (cart.rows() == 0) throw ApiError(ErrorCode::cart_empty, "customer has no active cart");
        Placed placed;
        placed.cart_id = cart.text(0, 0);
        placed.deadline = deadline(request.method, std::chrono::system_clock::now());
        auto lines = co_await cart::load_lines(connection, placed.cart_id);
        if (lines.empty()) throw ApiError(ErrorCode::cart_empty, "cart has no items");
        for (const auto& line : lines) {
            if (!line.purchasable) throw ApiError(ErrorCode::cart_item_unavailable, "line " + line.id + " withdrawn from sale");
        }

        auto contact = co_await connection.execute(kContact, user);
        if (contact.rows() == 0) throw ApiError(ErrorCode::unauthorized, "account not active");
        placed.email = contact.text(0, 0);
        placed.name = contact.text(0, 1);
        if (placed.name.empty()) placed.name = address.recipient_name;
        placed.cpf = request.cpf;
        if (!placed.cpf) {
            if (auto stored = contact.optional_text(0, 2)) placed.cpf = std::string(*stored);
        }
        if (request.method == payments::Method::boleto && !placed.cpf) {
            throw ApiError(ErrorCode::validation_failed, "boleto needs the payer's CPF", {},
                           {FieldError{"cpf", "required", {}}});
        }

        shipping::Destination destination{address.cep, address.uf};
        auto options = shipping::options_for(rates_, rates_.handling_days(), lines, destination,
                                             std::chrono::system_clock::now());
        auto chosen = std::find_if(options.begin(), options.end(),
                                   [&](const shipping::Option& option) { return option.quote.code == request.shipping_option; });
        if (chosen == options.end()) {
            throw ApiError(ErrorCode::validation_failed, "shipping option not offered", {},
                           {FieldError{"shipping_option", "unknown_value", {{"allowed", "economy, express"}}}});
        }
        std::int64_t subtotal = 0;
        for (const auto& line : lines) subtotal += line.line_total();

        auto address_json = json::serialize(shipping::order_address_json(address));
        db::Params order{request.user_id,
                         placed.email,
                         placed.name,
                         placed.cpf,
                         std::string(contact.text(0, 3)),
                         std::to_string(subtotal),
                         std::to_string(chosen->quote.price),
                         address_json,
                         chosen->quote.code,
                         std::to_string(placed.deadline.hold.count())};
        auto inserted = co_await connection.execute(kInsertOrder, order);
        placed.order_id = inserted.text(0, 0);
        placed.order_number = inserted.text(0, 1);
        std::string expires_at(inserted.text(0, 2));
        placed.total = subtotal + chosen->quote.price;

        for (const auto& line : lines) {
            db::Params item{placed.order_id,
                            line.variant_id,
                            line.pendant_option_id,
                            line.product_name,
                            line.variant_name,
                            line.sku,
                            line.pendant_name,
                            std::to_string(line.variant_price),
                            std::to_string(line.pendant_price_delta),
                            std::to_string(line.quantity),
                            line.engraving};
            co_await connection.execute(kInsertItem, item);
        }

        std::optional<std::string> expiry = expires_at;
        auto shortfall = co_await orders::reserve(connection, placed.order_id, expiry);
        if (shortfall) {
            throw ApiError(ErrorCode::insufficient_stock,
                           "inventory " + shortfall->inventory_id + ": " + std::to_string(shortfall->available) + " free, " +
                               std::to_string(shortfall->needed) + " needed",
                           {{"available", std::to_string(shortfall->available)}});
        }

        db::Params payment{placed.order_id, std::string(provider_.name()), std::string(method_name(request.method)),
                           std::to_string(placed.total)};
        auto opened = co_await connection.execute(kInsertPayment, payment);
        placed.payment_id = opened.text(0, 0);
        db::Params close{placed.cart_id};
        co_await connection.execute(kCloseCart, close);
        co_return placed;
    });
}

boost::asio::awaitable<json::object> Service::start_payment(const Request& request, const Placed& placed) {
    payments::ChargeRequest charge;
    charge.payment_id = placed.payment_id;
    charge.order_number = placed.order_number;
    charge.amount = placed.total;
    charge.method = request.method;
    charge.description = "Pedido " + placed.order_number + " - Bijou";
    charge.payer_email = placed.email;
    charge.payer_name = placed.name;
    charge.payer_cpf = placed.cpf;
    charge.card_token = request.card_token;
    charge.card_brand = request.card_brand;
    charge.expires_at = placed.deadline.charge_expires;

    // The payment id is the provider's idempotency key, so asking again after a timeout
    // returns the first charge instead of making a second one.
    payments::ChargeResult result;
    bool failed = false;
    bool retryable = false;
    std::string failure;
    for (int attempt = 1; attempt <= kChargeAttempts; ++attempt) {
        failed = false;
        try {
            result = co_await provider_.create_charge(charge);
        } catch (const payments::ProviderError& error) {
            failed = true;
            retryable = error.retryable;
            failure = error.what();
        }
        if (!failed || !retryable || attempt == kChargeAttempts) break;
        boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, kChargeRetryDelay * attempt);
        co_await wait.async_wait(boost::asio::use_awaitable);
    }

    if (failed && retryable && request.method != payments::Method::card) {
        // The provider may have made the charge without Bijou receiving its response. The
        // order keeps its stock and the worker requests the charge again with the same key.
        // The customer finds the Pix code or boleto on the order once it arrives.
        log::warn("payment provider unreachable; charge deferred to the worker",
                  {{"order_id", placed.order_id}, {"error", failure}});
        co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
            json::object job{{"payment_id", placed.payment_id}};
            co_await jobs::enqueue(connection, "payments.charge", job);
        });
    } else if (failed) {
        // NOTE: a card charge that timed out three times may still exist at the provider.
        // It then arrives as a late payment on the cancelled order and becomes
        // refund_pending. Card data is not kept, so the charge cannot be requested later.
        log::error("payment provider failed at checkout", {{"order_id", placed.order_id}, {"error", failure}});
        co_await undo(placed, request.user_id);
        throw ApiError(ErrorCode::payment_provider_unavailable, failure);
    } else {
        co_await payments::record_charge(pool_, placed.payment_id, result, placed.deadline.due_date);
        // A declined card gives the customer the cart back, to pay another way, unless the
        // customer has opened another cart meanwhile.
        if (result.status == payments::ChargeStatus::declined) {
            bool reopened = true;
            try {
                db::Params cart{placed.cart_id, request.user_id};
                co_await pool_.query(kReopenCart, cart);
            } catch (const db::DbError& error) {
                if (error.sqlstate() != "23505") throw;
                reopened = false;
            }
            if (!reopened) log::info("cart not reopened: the customer has another", {{"order_id", placed.order_id}});
        }
    }

    db::Params order_params{placed.order_id, std::nullopt};
    auto rows = co_await pool_.query(kOrderJson, order_params);
    auto order = json::parse(rows.text(0, 0)).as_object();
    json::object payment;
    for (auto& entry : order["payments"].as_array()) {
        if (entry.as_object()["id"].as_string() == placed.payment_id) payment = entry.as_object();
    }
    if (failed) payment["failure_reason"] = "provider_unavailable";
    if (result.pix && payment["pix"].is_object()) {
        payment["pix"].as_object()["qr_code_png"] = result.pix->qr_code_png_base64;
    }
    order.erase("payments");
    co_return json::object{{"order", std::move(order)}, {"payment", std::move(payment)}};
}

boost::asio::awaitable<void> Service::undo(const Placed& placed, const std::string& user_id) {
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        db::Params order{placed.order_id};
        // The order first, as every path that changes an order and its payment locks it.
        co_await connection.execute(kLockOrder, order);
        co_await connection.execute(kCancelCheckout, order);
        co_await orders::release(connection, placed.order_id);
        db::Params cart{placed.cart_id, user_id};
        co_await connection.execute(kReopenCart, cart);
    });
}

}  // namespace bijou::checkout
