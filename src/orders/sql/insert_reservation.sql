-- Holds units of one inventory row for an order. $1 order id, $2 inventory id,
-- $3 quantity, $4 expiry or NULL.
INSERT INTO inventory_reservation (order_id, inventory_id, quantity, expires_at) VALUES ($1, $2, $3, $4::timestamptz)
