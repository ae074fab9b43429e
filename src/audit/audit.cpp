#include "audit/audit.hpp"

#include "audit_sql.hpp"

namespace bijou::audit {

namespace {

const db::Statement kInsertAuditEntry{"audit.insert_audit_entry", sql::k_insert_audit_entry};

}  // namespace

const db::Statement& insert_statement() {
    return kInsertAuditEntry;
}

boost::asio::awaitable<void> write(db::Connection& connection, const Entry& entry) {
    db::Params params{entry.actor_type, entry.actor_admin_id, entry.actor_user_id, entry.action, entry.entity_type,
                      entry.entity_id,  entry.before,         entry.after,         entry.ip,     entry.request_id};
    co_await connection.execute(kInsertAuditEntry, params);
}

}  // namespace bijou::audit
