-- Sets a new password from a reset link, which also proves the address, and lifts a
-- lockout after failed logins. An admin lock (status 'locked') stays. $1 user id,
-- $2 Argon2id hash.
WITH retired AS (
    UPDATE email_token SET used_at = now()
     WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL
)
UPDATE app_user
   SET password_hash = $2, failed_login_count = 0, locked_until = NULL,
       email_verified_at = coalesce(email_verified_at, now())
 WHERE id = $1
