-- The password hash of an account, NULL for social-login-only accounts. $1 user id.
SELECT password_hash FROM app_user WHERE id = $1 AND status <> 'anonymized'
