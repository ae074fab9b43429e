-- Frees a key whose request failed before it changed anything, so that the client can
-- retry with it. $1 scope, $2 key.
DELETE FROM idempotency_key WHERE scope = $1 AND key = $2 AND response_status IS NULL
