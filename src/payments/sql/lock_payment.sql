-- Locks a payment and its order for a status change. $1 payment id.
SELECT p.status, p.order_id, o.status, p.provider, p.method
  FROM payment p
  JOIN customer_order o ON o.id = p.order_id
 WHERE p.id = $1
   FOR UPDATE OF p, o
