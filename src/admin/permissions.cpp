#include "admin/permissions.hpp"

#include <array>

namespace bijou::admin {

namespace {

using P = Permission;

struct Grant {
    Role role;
    std::array<bool, 9> allowed;  // indexed by Permission
};

// Columns: catalog_read, catalog_write, orders_read, orders_update, refunds,
// customers_read, reports_read, audit_log_read, admins_manage.
constexpr std::array<Grant, 5> kGrants{{
    {Role::owner, {true, true, true, true, true, true, true, true, true}},
    {Role::manager, {true, true, true, true, true, true, true, true, false}},
    {Role::catalog_editor, {true, true, false, false, false, false, false, false, false}},
    {Role::order_operator, {true, false, true, true, false, true, false, false, false}},
    {Role::support, {true, false, true, false, false, true, false, false, false}},
}};

constexpr std::array<std::string_view, 5> kRoleNames{"owner", "manager", "catalog_editor", "order_operator",
                                                     "support"};

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
    for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
        if (kRoleNames[i] == name) return static_cast<Role>(i);
    }
    return std::nullopt;
}

std::string_view role_name(Role role) {
    return kRoleNames[static_cast<std::size_t>(role)];
}

bool role_has(Role role, Permission permission) {
    for (const auto& grant : kGrants) {
        if (grant.role == role) return grant.allowed[static_cast<std::size_t>(permission)];
    }
    return false;
}

}  // namespace bijou::admin
