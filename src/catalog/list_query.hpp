#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "http/message.hpp"

namespace bijou::catalog {

enum class Sort { price_asc, price_desc, newest, name };

std::string_view sort_name(Sort sort);

// Position after the last item of a page, for keyset pagination. `key` is the sort
// column's value (price in centavos, creation time in Unix microseconds, or the name).
struct Cursor {
    Sort sort = Sort::newest;
    std::string key;
    Uuid id;
};

// Encodes a cursor as an opaque base64url token.
std::string encode_cursor(const Cursor& cursor);
// Decodes a token made by encode_cursor for `sort`; nullopt when it is malformed or
// belongs to another sort order.
std::optional<Cursor> decode_cursor(std::string_view token, Sort sort);

// The filters, order and page of GET /v1/products.
struct ProductListQuery {
    std::optional<std::string> collection;
    std::optional<std::string> category;
    std::optional<std::string> material;
    std::optional<std::int64_t> min_price;
    std::optional<std::int64_t> max_price;
    std::optional<bool> in_stock;
    Sort sort = Sort::newest;
    int limit = 24;
    std::optional<Cursor> cursor;

    static constexpr int kDefaultLimit = 24;
    static constexpr int kMaxLimit = 100;

    // Validates the query string. Throws ApiError(invalid_parameter) naming the first bad
    // parameter.
    static ProductListQuery parse(const http::QueryParams& params);
};

// True for a slug as products and collections use it: lower-case letters, digits and
// single hyphens, at most 120 characters.
bool is_valid_slug(std::string_view slug);

}  // namespace bijou::catalog
