-- Queues a job in the caller's transaction. A repeated dedupe key is a no-op.
-- $1 topic, $2 payload (JSON object), $3 dedupe key or NULL.
INSERT INTO outbox (topic, payload, dedupe_key)
VALUES ($1, $2::jsonb, $3)
ON CONFLICT (dedupe_key) DO NOTHING
