-- Looks an admin refresh token up by hash and locks it with its session. $1 hash in hex.
SELECT rt.id, rt.session_id, rt.used_at IS NOT NULL AS used, s.admin_user_id, a.role,
       s.revoked_at IS NOT NULL AS revoked,
       s.absolute_expires_at < now() OR a.status <> 'active' AS expired
  FROM refresh_token rt
  JOIN auth_session s ON s.id = rt.session_id
  JOIN admin_user a ON a.id = s.admin_user_id
 WHERE rt.token_hash = decode($1, 'hex') AND s.audience = 'admin'
   FOR UPDATE OF rt, s
