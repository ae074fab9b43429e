-- The password hash and e-mail of an account; the hash is NULL for social-login-only
-- accounts. $1 user id.
SELECT password_hash, email FROM app_user WHERE id = $1 AND status <> 'anonymized'
