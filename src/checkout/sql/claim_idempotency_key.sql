-- Claims an Idempotency-Key for a first request. Returns no row when the key exists.
-- $1 scope, $2 key, $3 SHA-256 of the request (bytea), $4 lifetime in seconds.
INSERT INTO idempotency_key (scope, key, request_hash, expires_at)
VALUES ($1, $2, $3::bytea, now() + $4::integer * interval '1 second')
ON CONFLICT (scope, key) DO NOTHING
RETURNING 1
