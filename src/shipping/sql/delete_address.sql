-- Deletes an address. Orders keep their own copy. $1 user id, $2 address id.
DELETE FROM address WHERE user_id = $1 AND id = $2
