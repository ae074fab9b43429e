#include "catalog/seed.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog_sql.hpp"
#include "db/blocking.hpp"

namespace bijou::catalog {

namespace json = boost::json;

namespace {

const db::Statement kSeedCollection{"seed.collection", sql::k_seed_collection};
const db::Statement kSeedPendantOption{"seed.pendant_option", sql::k_seed_pendant_option};
const db::Statement kSeedProduct{"seed.product", sql::k_seed_product};
const db::Statement kSeedVariant{"seed.variant", sql::k_seed_variant};
const db::Statement kSeedImage{"seed.product_image", sql::k_seed_product_image};
const db::Statement kSeedProductCollection{"seed.product_collection", sql::k_seed_product_collection};
const db::Statement kSeedProductPendant{"seed.product_pendant", sql::k_seed_product_pendant};

json::array read_array(const std::filesystem::path& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read " + path.string());
    std::stringstream text;
    text << file.rdbuf();
    boost::system::error_code ec;
    auto value = json::parse(text.str(), ec);
    if (ec || !value.is_array()) throw std::runtime_error(path.string() + ": expected a JSON array");
    return value.as_array();
}

std::string text_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || !value->is_string()) throw std::runtime_error("missing text field \"" + std::string(key) + "\"");
    return std::string(value->as_string());
}

std::optional<std::string> optional_text_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_string()) throw std::runtime_error("field \"" + std::string(key) + "\" must be text or null");
    return std::string(value->as_string());
}

std::string number_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || !value->is_int64()) throw std::runtime_error("missing integer field \"" + std::string(key) + "\"");
    return std::to_string(value->as_int64());
}

std::optional<std::string> optional_number_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return number_of(entry, key);
}

std::string boolean_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || !value->is_bool()) throw std::runtime_error("missing boolean field \"" + std::string(key) + "\"");
    return value->as_bool() ? "true" : "false";
}

const json::array& array_of(const json::object& entry, std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr || !value->is_array()) throw std::runtime_error("missing list field \"" + std::string(key) + "\"");
    return value->as_array();
}

void load_product(db::BlockingConnection& connection, const json::object& product) {
    auto rows = connection.exec(kSeedProduct, {text_of(product, "slug"), text_of(product, "name"),
                                               text_of(product, "description"), text_of(product, "category"),
                                               boolean_of(product, "accepts_pendant"),
                                               number_of(product, "lead_time_days"),
                                               number_of(product, "created_days_ago")});
    std::string product_id(rows.text(0, 0));

    int position = 0;
    for (const auto& value : array_of(product, "variants")) {
        const auto& variant = value.as_object();
        connection.exec(kSeedVariant, {product_id, text_of(variant, "sku"), text_of(variant, "name"),
                                       text_of(variant, "material"), optional_text_of(variant, "size"),
                                       number_of(variant, "price"), optional_number_of(variant, "compare_at_price"),
                                       optional_number_of(variant, "weight_grams"), std::to_string(position++),
                                       number_of(variant, "stock"), number_of(variant, "low_stock_threshold")});
    }

    position = 0;
    for (const auto& value : array_of(product, "images")) {
        const auto& image = value.as_object();
        auto key = text_of(image, "key");
        std::string content_type = key.ends_with(".svg") ? "image/svg+xml" : "image/jpeg";
        connection.exec(kSeedImage, {product_id, key, text_of(image, "alt"), content_type, std::string("800"),
                                     std::string("800"), std::to_string(position++)});
    }

    position = 0;
    for (const auto& value : array_of(product, "collections")) {
        std::string slug(value.as_string());
        auto linked = connection.exec(kSeedProductCollection, {product_id, slug, std::to_string(position++)});
        if (linked.rows() == 0) throw std::runtime_error("unknown collection \"" + slug + "\"");
    }

    for (const auto& value : array_of(product, "pendant_options")) {
        std::string code(value.as_string());
        auto linked = connection.exec(kSeedProductPendant, {product_id, code});
        if (linked.rows() == 0) throw std::runtime_error("unknown pendant option \"" + code + "\"");
    }
}

}  // namespace

void load_seed(const std::string& database_url, const std::string& seed_dir, std::ostream& out) {
    std::filesystem::path dir(seed_dir);
    auto collections = read_array(dir / "collections.json");
    auto pendant_options = read_array(dir / "pendant_options.json");
    auto products = read_array(dir / "products.json");

    db::BlockingConnection connection(database_url);
    connection.exec("BEGIN");
    try {
        for (const auto& value : collections) {
            const auto& collection = value.as_object();
            connection.exec(kSeedCollection, {text_of(collection, "slug"), text_of(collection, "name"),
                                              text_of(collection, "description"), number_of(collection, "position")});
        }
        int position = 0;
        for (const auto& value : pendant_options) {
            const auto& option = value.as_object();
            connection.exec(kSeedPendantOption,
                            {text_of(option, "code"), text_of(option, "name"), text_of(option, "kind"),
                             number_of(option, "price_delta"), optional_text_of(option, "image_key"),
                             std::to_string(position++), number_of(option, "stock"),
                             number_of(option, "low_stock_threshold")});
        }
        for (const auto& value : products) {
            const auto& product = value.as_object();
            try {
                load_product(connection, product);
            } catch (const std::exception& error) {
                auto slug = product.if_contains("slug");
                throw std::runtime_error("products.json, product " +
                                         (slug && slug->is_string() ? std::string(slug->as_string()) : "?") + ": " +
                                         error.what());
            }
        }
        connection.exec("COMMIT");
    } catch (...) {
        connection.exec("ROLLBACK");
        throw;
    }
    out << "seeded " << collections.size() << " collections, " << pendant_options.size() << " pendant options, "
        << products.size() << " products from " << seed_dir << "\n";
}

}  // namespace bijou::catalog
