-- The pendant options offered with one active product. A product that exists but takes no
-- pendants yields one row with a NULL option id, which distinguishes it from "not found".
SELECT p.id AS product_id, o.id, o.code, o.name, o.kind, o.price_delta, o.image_key,
       greatest(coalesce(i.on_hand - i.reserved, 0), 0) AS available,
       coalesce(i.low_stock_threshold, 0) AS low_stock_threshold
  FROM product p
  LEFT JOIN product_pendant_option ppo ON ppo.product_id = p.id AND p.accepts_pendant
  LEFT JOIN pendant_option o ON o.id = ppo.pendant_option_id AND o.is_active
  LEFT JOIN inventory i ON i.pendant_option_id = o.id
 WHERE p.slug = $1 AND p.status = 'active' AND p.price_min IS NOT NULL
 ORDER BY o.kind, o.position, o.name, o.id
