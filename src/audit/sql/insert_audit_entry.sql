-- Appends one audit entry. $1 actor type, $2 admin id, $3 customer id, $4 action,
-- $5 entity type, $6 entity id, $7 before (JSON), $8 after (JSON), $9 IP, $10 request id.
INSERT INTO audit_log (actor_type, actor_admin_id, actor_user_id, action, entity_type, entity_id,
                       before, after, ip, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::inet, $10)
