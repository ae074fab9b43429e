-- The active cart of a customer. $1 user id.
SELECT id FROM cart WHERE user_id = $1 AND status = 'active'
