-- Deletes a key whose lifetime has ended, so that it can be claimed again. $1 scope, $2 key.
DELETE FROM idempotency_key WHERE scope = $1 AND key = $2 AND expires_at <= now()
