-- Stores a verified webhook once per provider event id. Returns no row for a repeat.
-- $1 provider, $2 event id, $3 event type, $4 parsed body (JSON) or NULL, $5 raw body (bytea).
INSERT INTO payment_event (provider, provider_event_id, event_type, payload, raw_body, signature_valid)
VALUES ($1, $2, $3, $4::jsonb, $5::bytea, true)
ON CONFLICT (provider, provider_event_id) WHERE signature_valid DO NOTHING
RETURNING id
