-- Locks a payment for a status change, with its order's status (the order is already
-- locked by lock_order_of_payment.sql). $1 payment id.
SELECT p.status, p.order_id, o.status, p.provider, p.method
  FROM payment p
  JOIN customer_order o ON o.id = p.order_id
 WHERE p.id = $1
   FOR UPDATE OF p
