-- Stores the hash of an e-mail token and, when it is new, retires the account's other
-- unused tokens of the same purpose, so only the newest link works. Issuing the same token
-- again (a job run twice) changes nothing. Returns whether the token can still be used:
-- false when a newer link retired it or it was used, so the job sends no dead link.
-- $1 user id, $2 purpose, $3 SHA-256 of the token (bytea), $4 the address the link goes
-- to, $5 lifetime in seconds.
WITH inserted AS (
    INSERT INTO email_token (user_id, purpose, token_hash, email, expires_at)
    VALUES ($1, $2, $3::bytea, $4, now() + $5::integer * interval '1 second')
    ON CONFLICT (token_hash) DO NOTHING
    RETURNING id
), retired AS (
    UPDATE email_token SET used_at = now()
     WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND token_hash <> $3::bytea
       AND EXISTS (SELECT 1 FROM inserted)
)
SELECT coalesce((SELECT true FROM inserted),
                (SELECT used_at IS NULL AND expires_at > now() FROM email_token WHERE token_hash = $3::bytea),
                false) AS usable
