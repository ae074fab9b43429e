-- Every admin, oldest first, for the owner's admin list.
SELECT id, email, name, role, status, totp_enabled_at IS NOT NULL AS totp_enabled,
       to_char(last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM admin_user
 ORDER BY created_at, id
