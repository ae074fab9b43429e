-- Stores the response of the request that claimed a key. $1 scope, $2 key, $3 status,
-- $4 body (JSON).
UPDATE idempotency_key SET response_status = $3, response_body = $4::jsonb WHERE scope = $1 AND key = $2
