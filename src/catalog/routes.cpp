#include "catalog/routes.hpp"

#include <boost/json/serialize.hpp>

namespace bijou::catalog {

namespace {

// Renders a public catalog response with validators and CDN purge keys.
http::Response cacheable(const http::Request& request, const boost::json::object& body, const Config& config,
                         std::string_view surrogate_keys) {
    auto response = http::json_response(request, boost::json::serialize(body));
    http::make_cacheable(request, response, config.catalog.cache_max_age, surrogate_keys);
    return response;
}

std::string product_keys(const boost::json::object& page) {
    std::string keys = "products";
    for (const auto& item : page.at("items").as_array()) {
        keys += " product-" + std::string(item.as_object().at("id").as_string());
    }
    return keys;
}

}  // namespace

void add_routes(http::Pipeline& pipeline, Service& service, const Config& config) {
    using http::Verb;

    pipeline.add(Verb::get, "/v1/products", [&service, &config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto query = ProductListQuery::parse(request.query);
        auto page = co_await service.list_products(query);
        co_return cacheable(request, page, config, product_keys(page));
    });

    pipeline.add(Verb::get, "/v1/products/{slug}", [&service, &config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto product = co_await service.get_product(request.params.get("slug"));
        auto key = "products product-" + std::string(product.at("id").as_string());
        co_return cacheable(request, product, config, key);
    });

    pipeline.add(Verb::get, "/v1/products/{slug}/pendant-options",
                 [&service, &config](http::Request& request) -> boost::asio::awaitable<http::Response> {
                     auto options = co_await service.list_pendant_options(request.params.get("slug"));
                     co_return cacheable(request, options, config, "products pendant-options");
                 });

    pipeline.add(Verb::get, "/v1/collections", [&service, &config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto collections = co_await service.list_collections();
        co_return cacheable(request, collections, config, "collections");
    });

    pipeline.add(Verb::get, "/v1/collections/{slug}", [&service, &config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto collection = co_await service.get_collection(request.params.get("slug"));
        auto key = "collections collection-" + std::string(collection.at("id").as_string());
        co_return cacheable(request, collection, config, key);
    });
}

}  // namespace bijou::catalog
