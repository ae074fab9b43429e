-- Stores the hash of an e-mail token and retires the account's other unused tokens of the
-- same purpose, so only the newest link works. Issuing the same token again (a job run
-- twice) changes nothing. $1 user id, $2 purpose, $3 SHA-256 of the token (bytea),
-- $4 the address the link goes to, $5 lifetime in seconds.
WITH retired AS (
    UPDATE email_token SET used_at = now()
     WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND token_hash <> $3::bytea
)
INSERT INTO email_token (user_id, purpose, token_hash, email, expires_at)
VALUES ($1, $2, $3::bytea, $4, now() + $5::integer * interval '1 second')
ON CONFLICT (token_hash) DO NOTHING
