-- Records that the customer proved the address is theirs. $1 user id.
UPDATE app_user SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1
