-- Moves an order's payments still in status $2 to status $3. $1 order id.
UPDATE payment SET status = $3 WHERE order_id = $1 AND status = $2
