#pragma once

#include <boost/asio/awaitable.hpp>
#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "db/pool.hpp"
#include "http/json_body.hpp"

namespace bijou::shipping {

// A delivery address. The CEP is 8 digits and lies in the range of the UF.
struct Address {
    std::optional<std::string> label;
    std::string recipient_name;
    std::string cep;
    std::string street;
    std::string number;
    std::optional<std::string> complement;
    std::string district;
    std::string city;
    std::string uf;
    std::optional<std::string> phone;
    bool is_default = false;
};

// The fields of an address body, each checked, for creation (every required field) or for
// a change (only the fields sent). Problems go to `body` as field errors.
struct AddressFields {
    std::optional<std::optional<std::string>> label;
    std::optional<std::string> recipient_name;
    std::optional<std::string> cep;
    std::optional<std::string> street;
    std::optional<std::string> number;
    std::optional<std::optional<std::string>> complement;
    std::optional<std::string> district;
    std::optional<std::string> city;
    std::optional<std::string> uf;
    std::optional<std::optional<std::string>> phone;
    std::optional<bool> is_default;

    static AddressFields read(http::BodyReader& body, bool all_required);
    // Applies the fields onto `address`, then checks that the CEP lies in the UF's range.
    // Adds a field error on "uf" when it does not.
    void apply(Address& address, http::BodyReader& body) const;
};

// The fields an address body may have.
inline constexpr std::array<std::string_view, 11> kAddressFields{
    "label", "recipient_name", "cep", "street", "number", "complement", "district", "city", "uf", "phone", "is_default"};

boost::json::object address_json(const std::string& id, const Address& address);

// Copy of an address for an order, with the fields the order's CHECK requires.
boost::json::object order_address_json(const Address& address);

// A customer's saved addresses, at most kMaxAddresses, one of them the default.
class AddressBook {
public:
    static constexpr int kMaxAddresses = 20;

    explicit AddressBook(db::Pool& pool) : pool_(pool) {}

    boost::asio::awaitable<boost::json::array> list(const std::string& user_id);
    // Throws address_not_found.
    boost::asio::awaitable<Address> get(const std::string& user_id, const std::string& address_id);
    boost::asio::awaitable<std::string> create(const std::string& user_id, const Address& address);
    boost::asio::awaitable<void> update(const std::string& user_id, const std::string& address_id, const Address& address);
    boost::asio::awaitable<void> remove(const std::string& user_id, const std::string& address_id);

private:
    db::Pool& pool_;
};

}  // namespace bijou::shipping
