-- True when an access token's session is still open and its account active, so that a
-- logout or a lock takes effect at once instead of when the token expires. $1 session id, $2 user id.
SELECT EXISTS (
    SELECT 1
      FROM auth_session s
      JOIN app_user u ON u.id = s.user_id
     WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.absolute_expires_at > now()
       AND u.status = 'active'
) AS active
