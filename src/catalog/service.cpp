#include "catalog/service.hpp"

#include <boost/json.hpp>

namespace bijou::catalog {

namespace json = boost::json;

namespace {

json::value parse_json_column(const db::Result& rows, int row, int column) {
    return json::parse(rows.text(row, column));
}

// Splits a comma-separated list of material codes (codes contain no commas).
json::array split_codes(std::string_view text, json::storage_ptr storage) {
    json::array codes(std::move(storage));
    while (!text.empty()) {
        auto comma = text.find(',');
        codes.emplace_back(text.substr(0, comma));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return codes;
}

}  // namespace

std::string_view stock_status(std::int64_t available, std::int64_t low_stock_threshold) {
    if (available <= 0) return "out_of_stock";
    if (available <= low_stock_threshold) return "low_stock";
    return "in_stock";
}

std::string Service::media_url(std::string_view key) const {
    return config_.http.public_base_url + "/media/" + std::string(key);
}

json::value Service::image(std::optional<std::string_view> key, std::string_view alt) const {
    if (!key) return nullptr;
    return json::object{{"url", media_url(*key)}, {"alt", alt}};
}

boost::asio::awaitable<json::object> Service::list_products(const ProductListQuery& query) {
    auto rows = co_await repository_.list_products(query);
    int count = std::min(rows.rows(), query.limit);

    json::array items;
    items.reserve(static_cast<std::size_t>(count));
    for (int row = 0; row < count; ++row) {
        items.emplace_back(json::object{
            {"id", rows.text(row, 0)},
            {"slug", rows.text(row, 1)},
            {"name", rows.text(row, 2)},
            {"category", rows.text(row, 3)},
            {"price_min", rows.int64(row, 4)},
            {"price_max", rows.int64(row, 5)},
            {"currency", "BRL"},
            {"in_stock", rows.boolean(row, 6)},
            {"accepts_pendant", rows.boolean(row, 7)},
            {"materials", split_codes(rows.text(row, 8), items.storage())},
            {"image", image(rows.optional_text(row, 10), rows.optional_text(row, 11).value_or(""))},
        });
    }

    json::value next_cursor = nullptr;
    if (rows.rows() > query.limit && count > 0) {
        int last = count - 1;
        Cursor cursor;
        cursor.sort = query.sort;
        cursor.id = *Uuid::parse(rows.text(last, 0));
        switch (query.sort) {
            case Sort::price_asc:
            case Sort::price_desc: cursor.key = rows.text(last, 4); break;
            case Sort::newest: cursor.key = rows.text(last, 9); break;
            case Sort::name: cursor.key = rows.text(last, 2); break;
        }
        next_cursor = json::string(encode_cursor(cursor));
    }
    co_return json::object{{"items", std::move(items)}, {"next_cursor", std::move(next_cursor)}};
}

boost::asio::awaitable<json::object> Service::get_product(std::string_view slug) {
    if (!is_valid_slug(slug)) throw ApiError(ErrorCode::product_not_found, "malformed slug", {{"slug", std::string(slug)}});
    auto rows = co_await repository_.find_product(slug);
    if (rows.rows() == 0) throw ApiError(ErrorCode::product_not_found, "no product", {{"slug", std::string(slug)}});

    // Keep each parsed column in a local: a range-for over a member of a temporary would
    // iterate freed memory.
    auto stored_variants = parse_json_column(rows, 0, 13);
    auto stored_images = parse_json_column(rows, 0, 14);

    json::array variants;
    for (auto& value : stored_variants.as_array()) {
        auto& variant = value.as_object();
        auto available = variant["available"].to_number<std::int64_t>();
        auto threshold = variant["low_stock_threshold"].to_number<std::int64_t>();
        variants.push_back(json::object{
            {"id", variant["id"]},
            {"sku", variant["sku"]},
            {"name", variant["name"]},
            {"material", variant["material"]},
            {"size", variant["size"]},
            {"price", variant["price"]},
            {"compare_at_price", variant["compare_at_price"]},
            {"currency", "BRL"},
            {"stock_status", stock_status(available, threshold)},
        });
    }

    json::array images;
    for (auto& value : stored_images.as_array()) {
        auto& stored = value.as_object();
        images.push_back(json::object{
            {"id", stored["id"]},
            {"url", media_url(stored["key"].as_string())},
            {"alt", stored["alt"]},
            {"width", stored["width"]},
            {"height", stored["height"]},
            {"variant_id", stored["variant_id"]},
        });
    }

    co_return json::object{
        {"id", rows.text(0, 0)},
        {"slug", rows.text(0, 1)},
        {"name", rows.text(0, 2)},
        {"description", rows.text(0, 3)},
        {"category", rows.text(0, 4)},
        {"price_min", rows.int64(0, 5)},
        {"price_max", rows.int64(0, 6)},
        {"currency", "BRL"},
        {"in_stock", rows.boolean(0, 7)},
        {"accepts_pendant", rows.boolean(0, 8)},
        {"lead_time_days", rows.int64(0, 9)},
        {"materials", parse_json_column(rows, 0, 10)},
        {"variants", std::move(variants)},
        {"images", std::move(images)},
        {"collections", parse_json_column(rows, 0, 15)},
        {"created_at", rows.text(0, 11)},
        {"updated_at", rows.text(0, 12)},
    };
}

boost::asio::awaitable<json::object> Service::list_pendant_options(std::string_view product_slug) {
    if (!is_valid_slug(product_slug)) {
        throw ApiError(ErrorCode::product_not_found, "malformed slug", {{"slug", std::string(product_slug)}});
    }
    auto rows = co_await repository_.list_pendant_options(product_slug);
    if (rows.rows() == 0) {
        throw ApiError(ErrorCode::product_not_found, "no product", {{"slug", std::string(product_slug)}});
    }

    json::array items;
    for (int row = 0; row < rows.rows(); ++row) {
        if (rows.is_null(row, 1)) continue;
        items.push_back(json::object{
            {"id", rows.text(row, 1)},
            {"code", rows.text(row, 2)},
            {"name", rows.text(row, 3)},
            {"kind", rows.text(row, 4)},
            {"price_delta", rows.int64(row, 5)},
            {"currency", "BRL"},
            {"stock_status", stock_status(rows.int64(row, 7), rows.int64(row, 8))},
            {"image", image(rows.optional_text(row, 6), rows.text(row, 3))},
        });
    }
    co_return json::object{{"items", std::move(items)}};
}

namespace {

json::object collection_json(const db::Result& rows, int row, const json::value& image) {
    return json::object{
        {"id", rows.text(row, 0)},
        {"slug", rows.text(row, 1)},
        {"name", rows.text(row, 2)},
        {"description", rows.text(row, 3)},
        {"image", image},
        {"product_count", rows.int64(row, 5)},
    };
}

}  // namespace

boost::asio::awaitable<json::object> Service::list_collections() {
    auto rows = co_await repository_.list_collections();
    json::array items;
    for (int row = 0; row < rows.rows(); ++row) {
        items.push_back(collection_json(rows, row, image(rows.optional_text(row, 4), rows.text(row, 2))));
    }
    co_return json::object{{"items", std::move(items)}};
}

boost::asio::awaitable<json::object> Service::get_collection(std::string_view slug) {
    if (!is_valid_slug(slug)) throw ApiError(ErrorCode::collection_not_found, "malformed slug", {{"slug", std::string(slug)}});
    auto rows = co_await repository_.find_collection(slug);
    if (rows.rows() == 0) throw ApiError(ErrorCode::collection_not_found, "no collection", {{"slug", std::string(slug)}});
    co_return collection_json(rows, 0, image(rows.optional_text(0, 4), rows.text(0, 2)));
}

}  // namespace bijou::catalog
