-- Moves an order to a new status, stamping the matching time and bumping the version.
-- refund_pending stamps paid_at too: money was received, even when it must go back.
-- $1 order id, $2 new status, $3 tracking code or NULL (kept when NULL).
UPDATE customer_order
   SET status = $2,
       tracking_code = coalesce($3, tracking_code),
       paid_at = CASE WHEN $2 IN ('paid', 'refund_pending') THEN coalesce(paid_at, now()) ELSE paid_at END,
       shipped_at = CASE WHEN $2 = 'shipped' THEN coalesce(shipped_at, now()) ELSE shipped_at END,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
       cancelled_at = CASE WHEN $2 = 'cancelled' THEN now() ELSE cancelled_at END,
       reservation_expires_at = CASE WHEN $2 = 'pending_payment' THEN reservation_expires_at ELSE NULL END,
       version = version + 1
 WHERE id = $1
