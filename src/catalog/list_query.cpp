#include "catalog/list_query.hpp"

#include <sodium.h>

#include <array>
#include <charconv>

#include "core/money.hpp"

namespace bijou::catalog {

namespace {

constexpr std::array<std::string_view, 6> kCategories = {"colar", "brinco", "pulseira", "anel", "tornozeleira", "conjunto"};
constexpr std::array<std::string_view, 5> kMaterials = {"banhado_ouro_18k", "banhado_ouro_rose", "prata_925",
                                                        "banhado_rodio", "aco_inoxidavel"};
constexpr std::array<std::string_view, 4> kSorts = {"price_asc", "price_desc", "newest", "name"};
// Maximum size of a cursor token. Product names, the longest keys, have at most 200
// characters.
constexpr std::size_t kMaxCursorBytes = 1024;

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& values) {
    std::string out;
    for (auto value : values) out += (out.empty() ? "" : ", ") + std::string(value);
    return out;
}

template <std::size_t N>
std::string parse_choice(const http::QueryParams& params, std::string_view name,
                         const std::array<std::string_view, N>& allowed, std::optional<std::string>& out) {
    auto value = params.get(name);
    if (!value) return {};
    for (auto choice : allowed) {
        if (*value == choice) {
            out = *value;
            return *value;
        }
    }
    throw invalid_parameter(std::string(name), "unknown_value", {{"allowed", join(allowed)}});
}

std::optional<std::int64_t> parse_price(const http::QueryParams& params, std::string_view name) {
    auto value = params.get(name);
    if (!value) return std::nullopt;
    if (value->starts_with('-')) throw invalid_parameter(std::string(name), "negative");
    auto centavos = parse_centavos(*value);
    if (!centavos) throw invalid_parameter(std::string(name), "invalid_centavos");
    return centavos;
}

// True when `text` is well-formed UTF-8 without NUL bytes (RFC 3629), because PostgreSQL
// rejects anything else with an error.
bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        if (lead == 0) return false;
        if (lead < 0x80) {
            length = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        }
        if (length > 1) {
            auto second = static_cast<unsigned char>(text[i + 1]);
            // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
            if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
                (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

// Latest creation time a cursor may carry: 9999-12-31T23:59:59.999999Z in Unix
// microseconds, inside PostgreSQL's timestamptz range.
constexpr std::int64_t kMaxCursorMicros = 253'402'300'799'999'999;

bool parse_int64(std::string_view text, std::int64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string_view sort_name(Sort sort) {
    return kSorts[static_cast<std::size_t>(sort)];
}

bool is_valid_slug(std::string_view slug) {
    if (slug.empty() || slug.size() > 120 || slug.front() == '-' || slug.back() == '-') return false;
    char previous = 0;
    for (char c : slug) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || (c == '-' && previous == '-')) return false;
        previous = c;
    }
    return true;
}

std::string encode_cursor(const Cursor& cursor) {
    std::string plain = std::string(sort_name(cursor.sort)) + "|" + cursor.key + "|" + cursor.id.to_string();
    std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);  // drop the NUL terminator
    return out;
}

std::optional<Cursor> decode_cursor(std::string_view token, Sort sort) {
    if (token.empty() || token.size() > kMaxCursorBytes) return std::nullopt;
    std::string plain(token.size(), '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(plain.data()), plain.size(), token.data(), token.size(),
                          nullptr, &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != token.data() + token.size()) {
        return std::nullopt;
    }
    plain.resize(length);

    auto first = plain.find('|');
    auto last = plain.rfind('|');
    if (first == std::string::npos || first == last) return std::nullopt;
    if (std::string_view(plain).substr(0, first) != sort_name(sort)) return std::nullopt;

    Cursor cursor;
    cursor.sort = sort;
    cursor.key = plain.substr(first + 1, last - first - 1);
    auto id = Uuid::parse(std::string_view(plain).substr(last + 1));
    if (!id) return std::nullopt;
    cursor.id = *id;

    if (sort == Sort::name) {
        // Product names have 1 to 200 characters; anything else was not made here.
        if (cursor.key.empty() || cursor.key.size() > 800 || !is_valid_utf8(cursor.key)) return std::nullopt;
        return cursor;
    }
    std::int64_t number = 0;
    if (!parse_int64(cursor.key, number) || number < 0) return std::nullopt;
    if (sort == Sort::newest && number > kMaxCursorMicros) return std::nullopt;
    return cursor;
}

ProductListQuery ProductListQuery::parse(const http::QueryParams& params) {
    ProductListQuery query;

    if (auto collection = params.get("collection")) {
        if (!is_valid_slug(*collection)) throw invalid_parameter("collection", "invalid_slug");
        query.collection = *collection;
    }
    parse_choice(params, "category", kCategories, query.category);
    parse_choice(params, "material", kMaterials, query.material);

    query.min_price = parse_price(params, "min_price");
    query.max_price = parse_price(params, "max_price");
    if (query.min_price && query.max_price && *query.max_price < *query.min_price) {
        throw invalid_parameter("max_price", "range_inverted");
    }

    if (auto in_stock = params.get("in_stock")) {
        if (*in_stock == "true") {
            query.in_stock = true;
        } else if (*in_stock == "false") {
            query.in_stock = false;
        } else {
            throw invalid_parameter("in_stock", "not_boolean");
        }
    }

    std::optional<std::string> sort;
    parse_choice(params, "sort", kSorts, sort);
    if (sort) {
        for (std::size_t i = 0; i < kSorts.size(); ++i) {
            if (*sort == kSorts[i]) query.sort = static_cast<Sort>(i);
        }
    }

    if (auto limit = params.get("limit")) {
        std::int64_t value = 0;
        if (!parse_int64(*limit, value) || value < 1 || value > kMaxLimit) {
            throw invalid_parameter("limit", "out_of_range", {{"min", "1"}, {"max", std::to_string(kMaxLimit)}});
        }
        query.limit = static_cast<int>(value);
    }

    if (auto token = params.get("cursor")) {
        query.cursor = decode_cursor(*token, query.sort);
        if (!query.cursor) throw invalid_parameter("cursor", "malformed_cursor");
    }
    return query;
}

}  // namespace bijou::catalog
