-- Gives a checked-out cart back to the customer after a failed payment start, unless the
-- customer has opened another cart meanwhile. $1 cart id, $2 user id.
UPDATE cart SET status = 'active'
 WHERE id = $1 AND status = 'converted'
   AND NOT EXISTS (SELECT 1 FROM cart WHERE user_id = $2 AND status = 'active')
