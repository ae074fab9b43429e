-- Deletes Idempotency-Keys whose lifetime has ended, a batch at a time. $1 batch size.
DELETE FROM idempotency_key
 WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE expires_at <= now() LIMIT $1)
