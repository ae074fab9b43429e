-- Marks the e-mail of an account verified when a provider vouches for it. An account
-- whose e-mail was unverified also loses its password, because whoever set the password
-- never proved they own the address. SET expressions read the row as it was.
-- $1 user id.
UPDATE app_user
   SET email_verified_at = coalesce(email_verified_at, now()),
       password_hash = CASE WHEN email_verified_at IS NULL THEN NULL ELSE password_hash END,
       updated_at = now()
 WHERE id = $1
