-- Locks an order for a status change and returns what the change needs. $1 order id.
SELECT status, version, user_id, email, customer_name, locale, number FROM customer_order WHERE id = $1 FOR UPDATE
