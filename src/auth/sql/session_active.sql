-- True when an access token's session is still open, so that logout takes effect at once
-- instead of when the token expires. $1 session id, $2 user id.
SELECT EXISTS (
    SELECT 1 FROM auth_session
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND absolute_expires_at > now()
) AS active
