-- What a cart needs to know before adding a variant, optionally with a pendant option:
-- whether both can be sold together and how many units are free. No row for an unknown
-- variant. $1 variant id, $2 pendant option id or NULL.
SELECT p.status = 'active' AND v.is_active AS variant_on_sale,
       p.accepts_pendant,
       po.id IS NOT NULL AS pendant_exists,
       coalesce(po.is_active, false) AS pendant_on_sale,
       EXISTS (SELECT 1 FROM product_pendant_option ppo
                WHERE ppo.product_id = p.id AND ppo.pendant_option_id = $2) AS pendant_offered,
       greatest(coalesce(vi.on_hand - vi.reserved, 0), 0) AS variant_available,
       greatest(coalesce(pi.on_hand - pi.reserved, 0), 0) AS pendant_available
  FROM product_variant v
  JOIN product p ON p.id = v.product_id
  LEFT JOIN inventory vi ON vi.variant_id = v.id
  LEFT JOIN pendant_option po ON po.id = $2
  LEFT JOIN inventory pi ON pi.pendant_option_id = po.id
 WHERE v.id = $1
