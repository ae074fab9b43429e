-- Replaces an admin's TOTP secret; codes of the old one stop working. $1 admin id,
-- $2 sealed secret (base64).
UPDATE admin_user
   SET totp_secret_encrypted = decode($2, 'base64'), totp_enabled_at = now(), totp_last_step = NULL
 WHERE id = $1
RETURNING email
