-- The login record of an admin by e-mail. $1 email.
SELECT id, password_hash, role, encode(totp_secret_encrypted, 'base64') AS totp_secret_sealed,
       status = 'active' AND (locked_until IS NULL OR locked_until < now()) AS can_log_in
  FROM admin_user
 WHERE email = $1
