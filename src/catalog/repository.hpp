#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "catalog/list_query.hpp"
#include "db/pool.hpp"

namespace bijou::catalog {

// Catalog queries. Each returns the rows of one statement from src/catalog/sql/.
class Repository {
public:
    explicit Repository(db::Pool& pool) : pool_(pool) {}

    // Fetches up to query.limit + 1 rows, so the caller can tell whether a next page exists.
    boost::asio::awaitable<db::Result> list_products(const ProductListQuery& query);
    boost::asio::awaitable<db::Result> find_product(std::string_view slug);
    boost::asio::awaitable<db::Result> list_pendant_options(std::string_view product_slug);
    boost::asio::awaitable<db::Result> list_collections();
    boost::asio::awaitable<db::Result> find_collection(std::string_view slug);

private:
    db::Pool& pool_;
};

}  // namespace bijou::catalog
