#include "catalog/repository.hpp"

#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "catalog_sql.hpp"

namespace bijou::catalog {

namespace {

const db::Statement kGetProduct{"catalog.get_product", sql::k_get_product};
const db::Statement kListPendantOptions{"catalog.list_pendant_options", sql::k_list_pendant_options};
const db::Statement kListCollections{"catalog.list_collections", sql::k_list_collections};
const db::Statement kGetCollection{"catalog.get_collection", sql::k_get_collection};

constexpr std::string_view kMinUuid = "00000000-0000-0000-0000-000000000000";
constexpr std::string_view kMaxUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";

// The keyset position before the first row of each order, so that every page, the first
// included, runs the same index-backed comparison.
std::pair<std::string, std::string> start_position(Sort sort) {
    switch (sort) {
        case Sort::price_asc: return {"0", std::string(kMinUuid)};
        case Sort::price_desc: return {std::to_string(std::numeric_limits<std::int64_t>::max()), std::string(kMaxUuid)};
        // 9999-12-31T23:59:59.999999Z, later than any row and inside the timestamptz range.
        case Sort::newest: return {"253402300799999999", std::string(kMaxUuid)};
        case Sort::name: return {"", std::string(kMinUuid)};
    }
    return {"0", std::string(kMinUuid)};
}

// Keyset condition and ORDER BY list of each sort order, indexed by Sort. $7 and $8 are
// the sort key and id of the last row already seen. The newest order's key is created_at
// in Unix microseconds.
struct SortSql {
    std::string_view keyset;
    std::string_view order;
};
constexpr SortSql kSortSql[] = {
    {"(p.price_min, p.id) > ($7::bigint, $8::uuid)", "p.price_min, p.id"},
    {"(p.price_min, p.id) < ($7::bigint, $8::uuid)", "p.price_min DESC, p.id DESC"},
    {"(p.created_at, p.id) < (timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8::uuid)",
     "p.created_at DESC, p.id DESC"},
    {"(p.name, p.id) > ($7::text, $8::uuid)", "p.name, p.id"},
};

std::string replace_marker(std::string text, std::string_view marker, std::string_view replacement) {
    auto position = text.rfind(marker);  // the last one: the header comment names the markers too
    if (position == std::string::npos) throw std::logic_error("list_products.sql lacks " + std::string(marker));
    return text.replace(position, marker.size(), replacement);
}

const db::Statement& list_statement(Sort sort) {
    struct Built {
        std::string name;
        std::string sql;
        db::Statement statement;
    };
    static const auto statements = [] {
        std::vector<std::unique_ptr<Built>> built;
        for (std::size_t i = 0; i < std::size(kSortSql); ++i) {
            auto entry = std::make_unique<Built>();
            entry->name = "catalog.list_products_" + std::string(sort_name(static_cast<Sort>(i)));
            entry->sql = replace_marker(replace_marker(std::string(sql::k_list_products), "/*keyset*/", kSortSql[i].keyset),
                                        "/*order*/", kSortSql[i].order);
            entry->statement = db::Statement{entry->name, entry->sql};
            built.push_back(std::move(entry));
        }
        return built;
    }();
    return statements[static_cast<std::size_t>(sort)]->statement;
}

std::optional<std::string> optional_number(const std::optional<std::int64_t>& value) {
    if (!value) return std::nullopt;
    return std::to_string(*value);
}

}  // namespace

boost::asio::awaitable<db::Result> Repository::list_products(const ProductListQuery& query) {
    auto [key, id] = start_position(query.sort);
    if (query.cursor) {
        key = query.cursor->key;
        id = query.cursor->id.to_string();
    }
    std::optional<std::string> in_stock;
    if (query.in_stock) in_stock = *query.in_stock ? "true" : "false";

    db::Params params{query.category, query.material, optional_number(query.min_price),
                      optional_number(query.max_price), in_stock, query.collection,
                      key, id, std::to_string(query.limit + 1)};
    co_return co_await pool_.query(list_statement(query.sort), params);
}

boost::asio::awaitable<db::Result> Repository::find_product(std::string_view slug) {
    db::Params params{std::string(slug)};
    co_return co_await pool_.query(kGetProduct, params);
}

boost::asio::awaitable<db::Result> Repository::list_pendant_options(std::string_view product_slug) {
    db::Params params{std::string(product_slug)};
    co_return co_await pool_.query(kListPendantOptions, params);
}

boost::asio::awaitable<db::Result> Repository::list_collections() {
    co_return co_await pool_.query(kListCollections);
}

boost::asio::awaitable<db::Result> Repository::find_collection(std::string_view slug) {
    db::Params params{std::string(slug)};
    co_return co_await pool_.query(kGetCollection, params);
}

}  // namespace bijou::catalog
