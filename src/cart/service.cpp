#include "cart/service.hpp"

#include <boost/json.hpp>
#include <map>

#include "auth/service.hpp"
#include "auth/tokens.hpp"
#include "cart/repository.hpp"
#include "cart_sql.hpp"
#include "core/ids.hpp"
#include "http/json_body.hpp"

namespace bijou::cart {

namespace json = boost::json;

namespace {

const db::Statement kFindUserCart{"cart.find_user_cart", sql::k_find_user_cart};
const db::Statement kFindGuestCart{"cart.find_guest_cart", sql::k_find_guest_cart};
const db::Statement kCreateCart{"cart.create_cart", sql::k_create_cart};
const db::Statement kLockCart{"cart.lock_cart", sql::k_lock_cart};
const db::Statement kTouchCart{"cart.touch_cart", sql::k_touch_cart};
const db::Statement kPurchaseOption{"cart.purchase_option", sql::k_purchase_option};
const db::Statement kCartUsage{"cart.cart_usage", sql::k_cart_usage};
const db::Statement kAddItem{"cart.add_item", sql::k_add_item};
const db::Statement kFindItem{"cart.find_item", sql::k_find_item};
const db::Statement kSetItemQuantity{"cart.set_item_quantity", sql::k_set_item_quantity};
const db::Statement kDeleteItem{"cart.delete_item", sql::k_delete_item};
const db::Statement kMergeGuestCart{"cart.merge_guest_cart", sql::k_merge_guest_cart};
const db::Statement kAdoptGuestCart{"cart.adopt_guest_cart", sql::k_adopt_guest_cart};

constexpr std::chrono::seconds kGuestLifetime{30 * 24 * 3600};
constexpr std::chrono::seconds kCustomerLifetime{90 * 24 * 3600};

json::value optional_json(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return json::string(*value);
}

json::object line_json(const Line& line) {
    // Capped at the line limit, so the cart does not publish the exact stock.
    std::int64_t available = std::min(line.variant_available, kMaxLineQuantity);
    if (line.pendant_available) available = std::min(available, *line.pendant_available);
    std::string name = line.product_name + " - " + line.variant_name;
    return {{"id", line.id},
            {"variant_id", line.variant_id},
            {"product_id", line.product_id},
            {"product_slug", line.product_slug},
            {"name", name},
            {"sku", line.sku},
            {"pendant_option_id", optional_json(line.pendant_option_id)},
            {"pendant_name", optional_json(line.pendant_name)},
            {"engraving", optional_json(line.engraving)},
            {"quantity", line.quantity},
            {"variant_price", line.variant_price},
            {"pendant_price_delta", line.pendant_price_delta},
            {"unit_price", line.unit_price()},
            {"line_total", line.line_total()},
            {"available", available},
            {"purchasable", line.purchasable},
            {"lead_time_days", line.lead_time_days}};
}

ApiError stock_error(std::string_view field, std::int64_t available, std::int64_t in_cart) {
    std::int64_t addable = std::max<std::int64_t>(0, available - in_cart);
    return ApiError(ErrorCode::insufficient_stock,
                    std::string(field) + ": " + std::to_string(available) + " free, " + std::to_string(in_cart) + " in cart",
                    {{"available", std::to_string(addable)}});
}

}  // namespace

std::string guest_token_hash(std::string_view token) {
    return auth::sha256_bytea(token);
}

std::optional<std::string> engraving_problem(std::string_view text) {
    if (http::utf8_length(text) > 30) return "too_long";
    if (text.empty() || text.front() == ' ' || text.back() == ' ') return "invalid_engraving";
    std::size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            bool allowed = std::isalnum(byte) != 0 || byte == ' ' || byte == '.' || byte == ',' || byte == '\'' ||
                           byte == '&' || byte == '-';
            if (!allowed) return "invalid_engraving";
            ++i;
            continue;
        }
        // Two-byte sequences: Latin-1 letters (U+00C0 to U+00FF without the signs × and ÷).
        if ((byte & 0xE0) == 0xC0 && i + 1 < text.size()) {
            unsigned code = ((byte & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
            if (code < 0xC0 || code > 0xFF || code == 0xD7 || code == 0xF7) return "invalid_engraving";
            i += 2;
            continue;
        }
        // The heart U+2665, a favourite on pendants.
        if (text.substr(i, 3) == "\xE2\x99\xA5") {
            i += 3;
            continue;
        }
        return "invalid_engraving";
    }
    return std::nullopt;
}

std::chrono::seconds Service::lifetime(const Owner& owner) const {
    return owner.user_id ? kCustomerLifetime : kGuestLifetime;
}

boost::asio::awaitable<std::optional<std::string>> Service::find(db::Connection& connection, const Owner& owner) {
    if (owner.user_id) {
        db::Params params{*owner.user_id};
        auto rows = co_await connection.execute(kFindUserCart, params);
        if (rows.rows() == 1) co_return std::string(rows.text(0, 0));
        co_return std::nullopt;
    }
    if (owner.guest_token) {
        db::Params params{guest_token_hash(*owner.guest_token)};
        auto rows = co_await connection.execute(kFindGuestCart, params);
        if (rows.rows() == 1) co_return std::string(rows.text(0, 0));
        throw ApiError(ErrorCode::cart_not_found, "unknown or closed guest cart token");
    }
    co_return std::nullopt;
}

boost::asio::awaitable<std::string> Service::find_or_create(db::Connection& connection, const Owner& owner,
                                                            std::optional<std::string>& new_token) {
    if (auto existing = co_await find(connection, owner)) co_return *existing;
    std::optional<std::string> token_hash;
    if (!owner.user_id) {
        new_token = auth::random_token();
        token_hash = guest_token_hash(*new_token);
    }
    db::Params params{owner.user_id, token_hash, std::to_string(lifetime(owner).count())};
    auto created = co_await connection.execute(kCreateCart, params);
    if (created.rows() == 1) co_return std::string(created.text(0, 0));
    // Another request opened the customer's cart at the same moment.
    auto raced = co_await find(connection, owner);
    if (!raced) throw std::runtime_error("cart neither created nor found");
    co_return *raced;
}

boost::asio::awaitable<void> Service::check_stock(db::Connection& connection, const std::string& cart_id,
                                                  const NewItem& item, const std::optional<std::string>& line_id) {
    db::Params option_params{item.variant_id, item.pendant_option_id};
    auto option = co_await connection.execute(kPurchaseOption, option_params);
    if (option.rows() == 0 || !option.boolean(0, 0)) {
        throw ApiError(ErrorCode::validation_failed, "variant unknown or not on sale", {},
                       {FieldError{"variant_id", "unknown_variant", {}}});
    }
    if (item.pendant_option_id) {
        if (!option.boolean(0, 1)) {
            throw ApiError(ErrorCode::validation_failed, "product takes no pendant", {},
                           {FieldError{"pendant_option_id", "pendant_not_accepted", {}}});
        }
        if (!option.boolean(0, 2) || !option.boolean(0, 3) || !option.boolean(0, 4)) {
            throw ApiError(ErrorCode::validation_failed, "pendant not offered with this product", {},
                           {FieldError{"pendant_option_id", "pendant_not_offered", {}}});
        }
    }

    db::Params usage_params{cart_id, item.variant_id, item.pendant_option_id, item.engraving, line_id};
    auto usage = co_await connection.execute(kCartUsage, usage_params);
    std::int64_t variant_units = usage.int64(0, 0);
    std::int64_t pendant_units = usage.int64(0, 1);
    std::int64_t same_line = usage.int64(0, 2);
    if (same_line + item.quantity > kMaxLineQuantity) {
        throw ApiError(ErrorCode::validation_failed, "line over the per-line limit", {},
                       {FieldError{"quantity",
                                   "out_of_range",
                                   {{"min", "1"}, {"max", std::to_string(std::max<std::int64_t>(1, kMaxLineQuantity - same_line))}}}});
    }
    if (variant_units + item.quantity > option.int64(0, 5)) {
        throw stock_error("variant", option.int64(0, 5), variant_units);
    }
    if (item.pendant_option_id && pendant_units + item.quantity > option.int64(0, 6)) {
        throw stock_error("pendant", option.int64(0, 6), pendant_units);
    }
}

boost::asio::awaitable<CartView> Service::render(const std::optional<std::string>& cart_id) {
    json::array items;
    std::int64_t subtotal = 0;
    std::int64_t count = 0;
    if (cart_id) {
        auto lease = co_await pool_.acquire();
        auto lines = co_await load_lines(*lease, *cart_id);
        for (const auto& line : lines) {
            items.push_back(line_json(line));
            subtotal += line.line_total();
            count += line.quantity;
        }
    }
    json::value id = nullptr;
    if (cart_id) id = json::string(*cart_id);
    CartView view;
    view.cart = {{"id", id}, {"items", std::move(items)}, {"item_count", count}, {"subtotal", subtotal}, {"currency", "BRL"}};
    co_return view;
}

boost::asio::awaitable<CartView> Service::view(const Owner& owner) {
    if (owner.user_id && owner.guest_token) co_await merge_guest(*owner.user_id, *owner.guest_token);
    std::optional<std::string> cart_id;
    {
        auto lease = co_await pool_.acquire();
        cart_id = co_await find(*lease, owner);
    }
    co_return co_await render(cart_id);
}

boost::asio::awaitable<CartView> Service::add_item(const Owner& owner, const NewItem& item) {
    if (owner.user_id && owner.guest_token) co_await merge_guest(*owner.user_id, *owner.guest_token);
    std::optional<std::string> new_token;
    auto cart_id = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        auto id = co_await find_or_create(connection, owner, new_token);
        db::Params lock{id};
        if ((co_await connection.execute(kLockCart, lock)).rows() == 0) {
            // A checkout closed this cart meanwhile: the item goes to a new one.
            id = co_await find_or_create(connection, owner, new_token);
            db::Params relock{id};
            if ((co_await connection.execute(kLockCart, relock)).rows() == 0) {
                throw ApiError(ErrorCode::cart_not_found, "cart closed while adding");
            }
        }
        std::optional<std::string> no_line;
        co_await check_stock(connection, id, item, no_line);
        db::Params add{id, item.variant_id, item.pendant_option_id, item.engraving, std::to_string(item.quantity)};
        co_await connection.execute(kAddItem, add);
        db::Params touch{id, std::to_string(lifetime(owner).count())};
        co_await connection.execute(kTouchCart, touch);
        co_return id;
    });
    auto view = co_await render(cart_id);
    view.new_guest_token = new_token;
    co_return view;
}

boost::asio::awaitable<CartView> Service::set_quantity(const Owner& owner, const std::string& item_id,
                                                      std::int64_t quantity) {
    auto cart_id = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        auto id = co_await find(connection, owner);
        if (!id) throw ApiError(ErrorCode::cart_item_not_found, "no cart");
        db::Params lock{*id};
        if ((co_await connection.execute(kLockCart, lock)).rows() == 0) {
            throw ApiError(ErrorCode::cart_item_not_found, "cart closed by a checkout");
        }
        db::Params find_params{*id, item_id};
        auto line = co_await connection.execute(kFindItem, find_params);
        if (line.rows() == 0) throw ApiError(ErrorCode::cart_item_not_found, "no such line in the cart");
        NewItem item;
        item.variant_id = line.text(0, 0);
        if (auto pendant = line.optional_text(0, 1)) item.pendant_option_id = std::string(*pendant);
        if (auto engraving = line.optional_text(0, 2)) item.engraving = std::string(*engraving);
        item.quantity = quantity;
        std::optional<std::string> excluded = item_id;
        co_await check_stock(connection, *id, item, excluded);
        db::Params update{*id, item_id, std::to_string(quantity)};
        co_await connection.execute(kSetItemQuantity, update);
        db::Params touch{*id, std::to_string(lifetime(owner).count())};
        co_await connection.execute(kTouchCart, touch);
        co_return *id;
    });
    co_return co_await render(cart_id);
}

boost::asio::awaitable<CartView> Service::remove_item(const Owner& owner, const std::string& item_id) {
    auto cart_id = co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        auto id = co_await find(connection, owner);
        if (!id) throw ApiError(ErrorCode::cart_item_not_found, "no cart");
        db::Params lock{*id};
        if ((co_await connection.execute(kLockCart, lock)).rows() == 0) {
            throw ApiError(ErrorCode::cart_item_not_found, "cart closed by a checkout");
        }
        db::Params remove{*id, item_id};
        auto removed = co_await connection.execute(kDeleteItem, remove);
        if (removed.affected_rows() == 0) throw ApiError(ErrorCode::cart_item_not_found, "no such line in the cart");
        co_return *id;
    });
    co_return co_await render(cart_id);
}

boost::asio::awaitable<void> Service::merge_guest(const std::string& user_id, const std::string& guest_token) {
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        db::Params guest_params{guest_token_hash(guest_token)};
        auto guest = co_await connection.execute(kFindGuestCart, guest_params);
        if (guest.rows() == 0) co_return;
        std::string guest_id(guest.text(0, 0));
        db::Params lock_guest{guest_id};
        if ((co_await connection.execute(kLockCart, lock_guest)).rows() == 0) co_return;

        db::Params user_params{user_id};
        auto mine = co_await connection.execute(kFindUserCart, user_params);
        if (mine.rows() == 0) {
            db::Params adopt{guest_id, user_id};
            co_await connection.execute(kAdoptGuestCart, adopt);
            co_await cap_by_stock(connection, guest_id);
            co_return;
        }
        std::string cart_id(mine.text(0, 0));
        db::Params lock_mine{cart_id};
        co_await connection.execute(kLockCart, lock_mine);
        db::Params merge{guest_id, cart_id};
        co_await connection.execute(kMergeGuestCart, merge);
        co_await cap_by_stock(connection, cart_id);
    });
}

boost::asio::awaitable<void> Service::cap_by_stock(db::Connection& connection, const std::string& cart_id) {
    auto lines = co_await load_lines(connection, cart_id);
    // Units still free per variant and per pendant option, handed to lines oldest first.
    std::map<std::string, std::int64_t> variant_left;
    std::map<std::string, std::int64_t> pendant_left;
    for (const auto& line : lines) {
        variant_left.emplace(line.variant_id, line.variant_available);
        if (line.pendant_option_id) pendant_left.emplace(*line.pendant_option_id, line.pendant_available.value_or(0));
    }
    for (const auto& line : lines) {
        std::int64_t allowed = std::min(line.quantity, variant_left[line.variant_id]);
        if (line.pendant_option_id) allowed = std::min(allowed, pendant_left[*line.pendant_option_id]);
        variant_left[line.variant_id] -= allowed;
        if (line.pendant_option_id) pendant_left[*line.pendant_option_id] -= allowed;
        if (allowed == line.quantity) continue;
        if (allowed == 0) {
            db::Params remove{cart_id, line.id};
            co_await connection.execute(kDeleteItem, remove);
        } else {
            db::Params update{cart_id, line.id, std::to_string(allowed)};
            co_await connection.execute(kSetItemQuantity, update);
        }
    }
}

}  // namespace bijou::cart
