-- A paid order keeps its units until it ships: the reservations stop expiring. $1 order id.
UPDATE inventory_reservation SET expires_at = NULL WHERE order_id = $1 AND status = 'active'
