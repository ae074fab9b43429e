#include "catalog/repository.hpp"

#include <limits>

#include "catalog_sql.hpp"

namespace bijou::catalog {

namespace {

const db::Statement kListByPriceAsc{"catalog.list_products_price_asc", sql::k_list_products_price_asc};
const db::Statement kListByPriceDesc{"catalog.list_products_price_desc", sql::k_list_products_price_desc};
const db::Statement kListNewest{"catalog.list_products_newest", sql::k_list_products_newest};
const db::Statement kListByName{"catalog.list_products_name", sql::k_list_products_name};
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

const db::Statement& list_statement(Sort sort) {
    switch (sort) {
        case Sort::price_asc: return kListByPriceAsc;
        case Sort::price_desc: return kListByPriceDesc;
        case Sort::newest: return kListNewest;
        case Sort::name: return kListByName;
    }
    return kListNewest;
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
