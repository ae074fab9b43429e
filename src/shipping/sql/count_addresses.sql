-- How many addresses a customer has, locking the account row so that two concurrent
-- inserts cannot both pass the limit. $1 user id.
SELECT (SELECT count(*) FROM address WHERE user_id = $1) FROM app_user WHERE id = $1 FOR UPDATE
