-- Undoes an order whose payment could not start: the order is cancelled and its payment
-- too. The caller releases the stock. $1 order id.
WITH payments AS (
    UPDATE payment SET status = 'cancelled', failure_reason = 'provider_unavailable'
     WHERE order_id = $1 AND status = 'pending'
)
UPDATE customer_order SET status = 'cancelled', cancelled_at = now(), reservation_expires_at = NULL,
                          version = version + 1
 WHERE id = $1 AND status = 'pending_payment'
