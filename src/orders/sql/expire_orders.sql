-- Unpaid orders whose reservation ran out, oldest first, locked so that another worker
-- skips them. $1 batch size.
SELECT id FROM customer_order
 WHERE status = 'pending_payment' AND reservation_expires_at <= now()
 ORDER BY reservation_expires_at
 LIMIT $1
   FOR UPDATE SKIP LOCKED
