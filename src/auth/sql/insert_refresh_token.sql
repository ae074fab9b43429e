-- Stores a refresh token by its SHA-256 hash. $1 session id, $2 hash in hex.
INSERT INTO refresh_token (session_id, token_hash) VALUES ($1, decode($2, 'hex'))
RETURNING id
