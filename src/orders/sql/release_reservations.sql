-- Returns an order's reserved units to sale, in inventory order so that concurrent
-- checkouts and releases lock inventory rows in one order. $1 order id.
UPDATE inventory_reservation r
   SET status = 'released'
  FROM (SELECT id FROM inventory_reservation
         WHERE order_id = $1 AND status = 'active'
         ORDER BY inventory_id
           FOR UPDATE) AS due
 WHERE r.id = due.id
