-- Units an order needs per inventory row, summed over its lines (variants and pendants),
-- in inventory order. $1 order id.
SELECT inv.id, sum(n.quantity)::bigint
  FROM (SELECT i.variant_id AS variant_id, NULL::uuid AS pendant_option_id, i.quantity
          FROM order_item i WHERE i.order_id = $1
        UNION ALL
        SELECT NULL, i.pendant_option_id, i.quantity
          FROM order_item i WHERE i.order_id = $1 AND i.pendant_option_id IS NOT NULL) AS n
  JOIN inventory inv ON inv.variant_id = n.variant_id OR inv.pendant_option_id = n.pendant_option_id
 GROUP BY inv.id
 ORDER BY inv.id
