-- Ends one admin session. $1 session id, $2 reason.
UPDATE auth_session SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL
