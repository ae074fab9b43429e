-- Locks the order of a payment, before the payment itself: every path that changes both
-- locks the order first, so they cannot deadlock. $1 payment id.
SELECT o.id FROM customer_order o WHERE o.id = (SELECT order_id FROM payment WHERE id = $1) FOR UPDATE
