#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "db/pool.hpp"

namespace bijou::cart {

// Whose cart a request means: a signed-in customer's, a guest's by the token from
// X-Cart-Token, or both at once (a guest who has just signed in).
struct Owner {
    std::optional<std::string> user_id;
    std::optional<std::string> guest_token;
};

struct NewItem {
    std::string variant_id;
    std::optional<std::string> pendant_option_id;
    std::optional<std::string> engraving;
    std::int64_t quantity = 1;
};

// A cart response and, when the request opened a guest cart, its new token.
struct CartView {
    boost::json::object cart;
    std::optional<std::string> new_guest_token;
};

// Most units of one configuration in one cart line.
inline constexpr std::int64_t kMaxLineQuantity = 20;

// Shopping carts: guest carts found by the hash of an opaque token, customer carts by user,
// and the merge of a guest cart into the customer's cart at sign-in. Every change checks
// that the variant and pendant can be sold together and that the cart's units of each
// stay within the stock free now; prices are read from the catalog on every view.
class Service {
public:
    Service(db::Pool& pool, const Config& config) : pool_(pool), config_(config) {}

    // The owner's cart, or an empty one when there is none yet. A customer request that
    // also carries a guest token merges that guest cart first.
    boost::asio::awaitable<CartView> view(const Owner& owner);

    // Adds units, opening a cart when the owner has none. Throws validation_failed for an
    // unknown variant, a pendant the product does not offer or a bad engraving, and
    // insufficient_stock past the free units.
    boost::asio::awaitable<CartView> add_item(const Owner& owner, const NewItem& item);
    boost::asio::awaitable<CartView> set_quantity(const Owner& owner, const std::string& item_id, std::int64_t quantity);
    boost::asio::awaitable<CartView> remove_item(const Owner& owner, const std::string& item_id);

    // Moves a guest cart into the customer's cart: quantities of a configuration in both are
    // summed and then capped by stock. Unknown or already merged tokens are ignored.
    boost::asio::awaitable<void> merge_guest(const std::string& user_id, const std::string& guest_token);

    // The id of the owner's active cart, if any.
    boost::asio::awaitable<std::optional<std::string>> find(db::Connection& connection, const Owner& owner);

private:
    boost::asio::awaitable<std::string> find_or_create(db::Connection& connection, const Owner& owner,
                                                       std::optional<std::string>& new_token);
    boost::asio::awaitable<void> check_stock(db::Connection& connection, const std::string& cart_id,
                                             const NewItem& item, const std::optional<std::string>& line_id);
    boost::asio::awaitable<void> cap_by_stock(db::Connection& connection, const std::string& cart_id);
    boost::asio::awaitable<CartView> render(const std::optional<std::string>& cart_id);
    std::chrono::seconds lifetime(const Owner& owner) const;

    db::Pool& pool_;
    const Config& config_;
};

// Checks engraving text: 1 to 30 characters of letters (accented ones included), digits,
// spaces and . , ' & - ♥. Returns the reason code for a rejected text, or nullopt.
std::optional<std::string> engraving_problem(std::string_view text);

// SHA-256 of a guest cart token in PostgreSQL's bytea text form.
std::string guest_token_hash(std::string_view token);

}  // namespace bijou::cart
