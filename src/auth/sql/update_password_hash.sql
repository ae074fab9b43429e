-- Stores a rehash made at login with the current Argon2id parameters. $1 user id, $2 hash.
UPDATE app_user SET password_hash = $2 WHERE id = $1
