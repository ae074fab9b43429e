-- Ends every open session of a customer. $1 user id, $2 reason.
UPDATE auth_session SET revoked_at = now(), revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL
