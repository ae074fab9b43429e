#include "shipping/address_book.hpp"

#include <boost/json.hpp>

#include "core/contact.hpp"
#include "core/ids.hpp"
#include "shipping/cep.hpp"
#include "shipping_sql.hpp"

namespace bijou::shipping {

namespace json = boost::json;

namespace {

const db::Statement kListAddresses{"shipping.list_addresses", sql::k_list_addresses};
const db::Statement kGetAddress{"shipping.get_address", sql::k_get_address};
const db::Statement kCountAddresses{"shipping.count_addresses", sql::k_count_addresses};
const db::Statement kClearDefault{"shipping.clear_default_address", sql::k_clear_default_address};
const db::Statement kInsertAddress{"shipping.insert_address", sql::k_insert_address};
const db::Statement kUpdateAddress{"shipping.update_address", sql::k_update_address};
const db::Statement kDeleteAddress{"shipping.delete_address", sql::k_delete_address};

Address address_of(const db::Result& rows, int row) {
    Address address;
    address.label = rows.optional_string(row, 1);
    address.recipient_name = rows.text(row, 2);
    address.cep = rows.text(row, 3);
    address.street = rows.text(row, 4);
    address.number = rows.text(row, 5);
    address.complement = rows.optional_string(row, 6);
    address.district = rows.text(row, 7);
    address.city = rows.text(row, 8);
    address.uf = rows.text(row, 9);
    address.phone = rows.optional_string(row, 10);
    address.is_default = rows.boolean(row, 11);
    return address;
}

json::value optional_json(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return json::string(*value);
}

// Reads a required-when-creating text field that must not be blank.
std::optional<std::string> text(http::BodyReader& body, std::string_view name, bool required, std::size_t max) {
    auto value = body.string(name, required, max);
    if (value && value->find_first_not_of(" \t") == std::string::npos) {
        body.add_error(std::string(name), "empty");
        return std::nullopt;
    }
    return value;
}

// Reads an optional text field that may be cleared with null. The outer optional is empty
// when the field was not sent.
std::optional<std::optional<std::string>> clearable(http::BodyReader& body, std::string_view name, std::size_t max) {
    if (!body.present(name)) return std::nullopt;
    // A null clears the value.
    return body.string(name, false, max);
}

db::Params address_params(const std::string& user_id, const Address& address) {
    return db::Params{user_id,        address.label,      address.recipient_name, address.cep,
                      address.street, address.number,     address.complement,     address.district,
                      address.city,   address.uf,         address.phone,          std::string(address.is_default ? "true" : "false")};
}

}  // namespace

AddressFields AddressFields::read(http::BodyReader& body, bool all_required) {
    AddressFields fields;
    fields.label = clearable(body, "label", 40);
    fields.recipient_name = text(body, "recipient_name", all_required, 200);
    if (auto cep = body.string("cep", all_required, 9)) {
        fields.cep = normalize_cep(*cep);
        if (!fields.cep) body.add_error("cep", "invalid_cep");
        else if (!state_of_cep(*fields.cep)) {
            body.add_error("cep", "unknown_cep");
            fields.cep.reset();
        }
    }
    fields.street = text(body, "street", all_required, 200);
    fields.number = text(body, "number", all_required, 20);
    fields.complement = clearable(body, "complement", 100);
    fields.district = text(body, "district", all_required, 100);
    fields.city = text(body, "city", all_required, 100);
    if (auto uf = body.string("uf", all_required, 2)) {
        if (is_state(*uf)) fields.uf = *uf;
        else body.add_error("uf", "unknown_value", {{"allowed", "AC, AL, AP, AM, BA, CE, DF, ES, GO, MA, MT, MS, MG, PA, PB, PR, PE, PI, RJ, RN, RS, RO, RR, SC, SP, SE, TO"}});
    }
    if (body.present("phone")) {
        auto phone = body.string("phone", false, 16);
        if (phone && !is_e164_phone(*phone)) body.add_error("phone", "invalid_phone");
        else fields.phone = phone;
    }
    fields.is_default = body.boolean("is_default");
    return fields;
}

void AddressFields::apply(Address& address, http::BodyReader& body) const {
    if (label) address.label = *label;
    if (recipient_name) address.recipient_name = *recipient_name;
    if (cep) address.cep = *cep;
    if (street) address.street = *street;
    if (number) address.number = *number;
    if (complement) address.complement = *complement;
    if (district) address.district = *district;
    if (city) address.city = *city;
    if (uf) address.uf = *uf;
    if (phone) address.phone = *phone;
    if (is_default) address.is_default = *is_default;
    if (!address.cep.empty() && !address.uf.empty()) {
        auto state = state_of_cep(address.cep);
        if (state && *state != address.uf) body.add_error("uf", "cep_state_mismatch", {{"state", *state}});
    }
}

json::object address_json(const std::string& id, const Address& address) {
    return {{"id", id},
            {"label", optional_json(address.label)},
            {"recipient_name", address.recipient_name},
            {"cep", address.cep},
            {"street", address.street},
            {"number", address.number},
            {"complement", optional_json(address.complement)},
            {"district", address.district},
            {"city", address.city},
            {"uf", address.uf},
            {"phone", optional_json(address.phone)},
            {"is_default", address.is_default}};
}

json::object order_address_json(const Address& address) {
    return {{"recipient_name", address.recipient_name}, {"cep", address.cep},       {"street", address.street},
            {"number", address.number},                 {"complement", optional_json(address.complement)},
            {"district", address.district},             {"city", address.city},     {"uf", address.uf},
            {"phone", optional_json(address.phone)}};
}

boost::asio::awaitable<json::array> AddressBook::list(const std::string& user_id) {
    db::Params params{user_id};
    auto rows = co_await pool_.query(kListAddresses, params);
    json::array items;
    for (int row = 0; row < rows.rows(); ++row) items.push_back(address_json(std::string(rows.text(row, 0)), address_of(rows, row)));
    co_return items;
}

boost::asio::awaitable<Address> AddressBook::get(const std::string& user_id, const std::string& address_id) {
    if (!Uuid::parse(address_id)) throw ApiError(ErrorCode::address_not_found, "address id is not a UUID");
    db::Params params{user_id, address_id};
    auto rows = co_await pool_.query(kGetAddress, params);
    if (rows.rows() == 0) throw ApiError(ErrorCode::address_not_found, "no such address for this customer");
    co_return address_of(rows, 0);
}

boost::asio::awaitable<std::string> AddressBook::create(const std::string& user_id, const Address& address) {
    co_return co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<std::string> {
        db::Params count_params{user_id};
        auto count = co_await connection.execute(kCountAddresses, count_params);
        auto existing = count.rows() == 1 ? count.int64(0, 0) : 0;
        if (existing >= kMaxAddresses) {
            throw ApiError(ErrorCode::validation_failed, "address book full", {},
                           {FieldError{"address", "too_many", {{"max", std::to_string(kMaxAddresses)}}}});
        }
        auto stored = address;
        // The first address becomes the default.
        if (existing == 0) stored.is_default = true;
        if (stored.is_default) {
            db::Params clear{user_id};
            co_await connection.execute(kClearDefault, clear);
        }
        auto params = address_params(user_id, stored);
        auto rows = co_await connection.execute(kInsertAddress, params);
        co_return std::string(rows.text(0, 0));
    });
}

boost::asio::awaitable<void> AddressBook::update(const std::string& user_id, const std::string& address_id,
                                                 const Address& address) {
    co_await pool_.transaction([&](db::Connection& connection) -> boost::asio::awaitable<void> {
        if (address.is_default) {
            db::Params clear{user_id};
            co_await connection.execute(kClearDefault, clear);
        }
        auto params = address_params(user_id, address);
        params.add(address_id);
        auto updated = co_await connection.execute(kUpdateAddress, params);
        if (updated.affected_rows() == 0) throw ApiError(ErrorCode::address_not_found, "no such address for this customer");
    });
}

boost::asio::awaitable<void> AddressBook::remove(const std::string& user_id, const std::string& address_id) {
    if (!Uuid::parse(address_id)) throw ApiError(ErrorCode::address_not_found, "address id is not a UUID");
    db::Params params{user_id, address_id};
    auto removed = co_await pool_.query(kDeleteAddress, params);
    if (removed.affected_rows() == 0) throw ApiError(ErrorCode::address_not_found, "no such address for this customer");
}

}  // namespace bijou::shipping
