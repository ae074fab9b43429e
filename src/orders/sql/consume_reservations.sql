-- Takes an order's reserved units out of stock when it ships. $1 order id.
UPDATE inventory_reservation r
   SET status = 'consumed'
  FROM (SELECT id FROM inventory_reservation
         WHERE order_id = $1 AND status = 'active'
         ORDER BY inventory_id
           FOR UPDATE) AS due
 WHERE r.id = due.id
