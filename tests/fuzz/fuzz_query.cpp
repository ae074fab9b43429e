// Fuzzes the query-string parser and the product-list parameter validation, cursors
// included. Any outcome but a parsed query or an ApiError is a bug.
#include <sodium.h>

#include <cstdint>
#include <string_view>

#include "catalog/list_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = sodium_init() >= 0;
    (void)ready;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        auto params = bijou::http::QueryParams::parse(input);
        auto query = bijou::catalog::ProductListQuery::parse(params);
        if (query.limit < 1 || query.limit > bijou::catalog::ProductListQuery::kMaxLimit) __builtin_trap();
        if (query.min_price && *query.min_price < 0) __builtin_trap();
    } catch (const bijou::ApiError&) {
    }
    for (auto sort : {bijou::catalog::Sort::price_asc, bijou::catalog::Sort::newest, bijou::catalog::Sort::name}) {
        auto cursor = bijou::catalog::decode_cursor(input, sort);
        if (cursor && cursor->sort != sort) __builtin_trap();
    }
    return 0;
}
