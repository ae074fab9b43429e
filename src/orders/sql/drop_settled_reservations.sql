-- Deletes an order's released reservations, so that it can reserve the same rows again
-- (one reservation per order and inventory row). Settled rows no longer touch stock.
-- $1 order id.
DELETE FROM inventory_reservation WHERE order_id = $1 AND status = 'released'
