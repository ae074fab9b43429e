-- Locks a customer's active cart for checkout. $1 user id.
SELECT id FROM cart WHERE user_id = $1 AND status = 'active' FOR UPDATE
