-- Opens a cart for a customer ($1 user id) or a guest ($2 token hash), kept $3 seconds
-- after its last change. A concurrent create for the same customer returns no row.
INSERT INTO cart (user_id, token_hash, expires_at)
VALUES ($1, $2::bytea, now() + $3::integer * interval '1 second')
ON CONFLICT DO NOTHING
RETURNING id
