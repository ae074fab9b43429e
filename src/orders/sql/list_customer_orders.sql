-- A customer's orders, newest first, one page after a (created_at, id) cursor.
-- $1 user id, $2 cursor time or NULL, $3 cursor id or NULL, $4 page size + 1.
SELECT o.id, o.number, o.status, o.total, o.currency,
       to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
       (SELECT coalesce(sum(quantity), 0) FROM order_item i WHERE i.order_id = o.id) AS item_count
  FROM customer_order o
 WHERE o.user_id = $1
   AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2::timestamptz, $3::uuid))
 ORDER BY o.created_at DESC, o.id DESC
 LIMIT $4
