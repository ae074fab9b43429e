#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "catalog/list_query.hpp"
#include "catalog/repository.hpp"
#include "core/config.hpp"

namespace bijou::catalog {

// Stock level shown to shoppers; exact counts stay private to the shop.
std::string_view stock_status(std::int64_t available, std::int64_t low_stock_threshold);

// The public catalog: products, pendant options and collections as the storefront reads
// them. Returns JSON representations; throws ApiError for unknown slugs.
class Service {
public:
    Service(db::Pool& pool, const Config& config) : repository_(pool), config_(config) {}

    boost::asio::awaitable<boost::json::object> list_products(const ProductListQuery& query);
    boost::asio::awaitable<boost::json::object> get_product(std::string_view slug);
    boost::asio::awaitable<boost::json::object> list_pendant_options(std::string_view product_slug);
    boost::asio::awaitable<boost::json::object> list_collections();
    boost::asio::awaitable<boost::json::object> get_collection(std::string_view slug);

private:
    boost::json::value image(std::optional<std::string_view> key, std::string_view alt) const;
    std::string media_url(std::string_view key) const;

    Repository repository_;
    const Config& config_;
};

}  // namespace bijou::catalog
