-- Uses an e-mail token once. Returns its account only when the token is unused, unexpired,
-- and was sent to the address the account still has. $1 SHA-256 of the token (bytea),
-- $2 purpose.
UPDATE email_token AS t
   SET used_at = now()
  FROM app_user AS u
 WHERE t.token_hash = $1::bytea AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
   AND u.id = t.user_id AND u.email = t.email AND u.status <> 'anonymized'
RETURNING t.user_id
