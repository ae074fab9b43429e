-- Background jobs: the transactional outbox.

-- A job or event written in the same transaction as the business change that causes it,
-- so the job exists exactly when the change commits. A relay copies pending rows to Redis
-- Streams and sets relayed_at. Delivery is at least once, so consumers must be idempotent.
CREATE TABLE outbox (
    -- A bigint identity is smaller than a uuid. Ids follow insertion, not commit, so the
    -- relay must select rows by relayed_at IS NULL rather than by "id after the last one seen".
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stream the row goes to, for example 'media.rendition' or 'mail.order_paid'.
    topic      text NOT NULL CHECK (topic ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND length(topic) <= 100),
    payload    jsonb NOT NULL,
    -- Optional key that makes a second insert of the same job a no-op (insert with
    -- ON CONFLICT (dedupe_key) DO NOTHING). It holds only while the row is kept, so a key
    -- can be written again after the purge job has deleted the relayed row.
    dedupe_key text UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    relayed_at timestamptz
);

-- The relay reads pending rows oldest first (with FOR UPDATE SKIP LOCKED, so several relays
-- can run), and the age of the oldest pending row is the relay-lag metric.
CREATE INDEX outbox_pending_idx ON outbox (created_at, id) WHERE relayed_at IS NULL;
-- The purge job deletes rows relayed long ago.
CREATE INDEX outbox_relayed_idx ON outbox (relayed_at) WHERE relayed_at IS NOT NULL;
