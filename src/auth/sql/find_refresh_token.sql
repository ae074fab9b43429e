-- Looks a refresh token up by hash and locks it with its session, so two concurrent uses of
-- one token are handled one after the other. $1 hash in hex.
SELECT rt.id, rt.session_id, rt.used_at IS NOT NULL AS used, s.user_id,
       s.revoked_at IS NOT NULL AS revoked,
       s.idle_expires_at < now() OR s.absolute_expires_at < now() OR u.status <> 'active' AS expired
  FROM refresh_token rt
  JOIN auth_session s ON s.id = rt.session_id
  JOIN app_user u ON u.id = s.user_id
 WHERE rt.token_hash = decode($1, 'hex') AND s.audience = 'customer'
   FOR UPDATE OF rt, s
