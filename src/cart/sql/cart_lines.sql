-- The lines of a cart with current names, prices and stock. Prices always come from the
-- catalog, never from what the client sent. `purchasable` is false for a line whose
-- product, variant or pendant was withdrawn since it was added. $1 cart id.
SELECT ci.id, ci.variant_id, p.id AS product_id, p.slug, p.name AS product_name, v.name AS variant_name, v.sku,
       ci.pendant_option_id, po.name AS pendant_name, ci.engraving, ci.quantity,
       v.price, coalesce(po.price_delta, 0) AS pendant_price_delta,
       greatest(coalesce(vi.on_hand - vi.reserved, 0), 0) AS variant_available,
       CASE WHEN po.id IS NULL THEN NULL ELSE greatest(coalesce(pi.on_hand - pi.reserved, 0), 0) END AS pendant_available,
       (p.status = 'active' AND v.is_active
        AND (po.id IS NULL OR (po.is_active AND p.accepts_pendant
                               AND EXISTS (SELECT 1 FROM product_pendant_option ppo
                                            WHERE ppo.product_id = p.id AND ppo.pendant_option_id = po.id)))) AS purchasable,
       p.lead_time_days, coalesce(v.weight_grams, 0) AS weight_grams, vi.id AS variant_inventory_id, pi.id AS pendant_inventory_id
  FROM cart_item ci
  JOIN product_variant v ON v.id = ci.variant_id
  JOIN product p ON p.id = v.product_id
  LEFT JOIN pendant_option po ON po.id = ci.pendant_option_id
  LEFT JOIN inventory vi ON vi.variant_id = v.id
  LEFT JOIN inventory pi ON pi.pendant_option_id = po.id
 WHERE ci.cart_id = $1
 ORDER BY ci.created_at, ci.id
