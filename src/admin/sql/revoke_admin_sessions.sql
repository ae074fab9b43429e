-- Ends every open session of an admin. $1 admin id, $2 reason.
UPDATE auth_session SET revoked_at = now(), revoke_reason = $2 WHERE admin_user_id = $1 AND revoked_at IS NULL
