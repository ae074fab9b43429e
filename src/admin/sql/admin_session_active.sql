-- True when an admin token's session is open and its admin still active. $1 session id,
-- $2 admin id. Returns the admin's current role, so a role change applies at once.
SELECT a.role
  FROM auth_session s
  JOIN admin_user a ON a.id = s.admin_user_id
 WHERE s.id = $1 AND s.admin_user_id = $2 AND s.revoked_at IS NULL
   AND s.absolute_expires_at > now() AND a.status = 'active'
