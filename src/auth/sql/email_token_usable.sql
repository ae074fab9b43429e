-- Whether an e-mail token of a purpose exists and is unused and unexpired, without using
-- it. $1 SHA-256 of the token (bytea), $2 purpose.
SELECT 1 FROM email_token WHERE token_hash = $1::bytea AND purpose = $2 AND used_at IS NULL AND expires_at > now()
