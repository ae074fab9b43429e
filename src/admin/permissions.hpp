#pragma once

#include <optional>
#include <string_view>

namespace bijou::admin {

enum class Role { owner, manager, catalog_editor, order_operator, support };

// Action an admin may be allowed. Each endpoint of the admin API requires one.
enum class Permission {
    catalog_read,
    catalog_write,
    orders_read,
    orders_update,
    refunds,
    customers_read,
    reports_read,
    audit_log_read,
    admins_manage,
};

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

// Looks the permission up in the one role table, which docs/security.md reproduces.
bool role_has(Role role, Permission permission);

}  // namespace bijou::admin
