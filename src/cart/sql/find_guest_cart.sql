-- The active cart of a guest token, not yet adopted by a customer. $1 SHA-256 of the token (bytea).
SELECT id FROM cart WHERE token_hash = $1::bytea AND status = 'active' AND user_id IS NULL
