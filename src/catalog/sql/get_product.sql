-- One active product by slug, with its variants, images and collections as JSON arrays.
SELECT p.id, p.slug, p.name, p.description, p.category, p.price_min, p.price_max, p.in_stock,
       p.accepts_pendant, p.lead_time_days, array_to_json(p.materials) AS materials,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
       (SELECT coalesce(json_agg(json_build_object(
                   'id', v.id, 'sku', v.sku, 'name', v.name, 'material', v.material,
                   'size', v.size, 'price', v.price, 'compare_at_price', v.compare_at_price,
                   'available', greatest(coalesce(i.on_hand - i.reserved, 0), 0),
                   'low_stock_threshold', coalesce(i.low_stock_threshold, 0))
                   ORDER BY v.position, v.id), '[]')
          FROM product_variant v
          LEFT JOIN inventory i ON i.variant_id = v.id
         WHERE v.product_id = p.id AND v.is_active) AS variants,
       (SELECT coalesce(json_agg(json_build_object(
                   'id', im.id, 'key', im.storage_key, 'alt', im.alt, 'width', im.width,
                   'height', im.height, 'position', im.position, 'variant_id', im.variant_id)
                   ORDER BY im.position), '[]')
          FROM product_image im
         WHERE im.product_id = p.id) AS images,
       (SELECT coalesce(json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name)
                   ORDER BY c.position, c.id), '[]')
          FROM product_collection pc
          JOIN collection c ON c.id = pc.collection_id
         WHERE pc.product_id = p.id AND c.is_active) AS collections
  FROM product p
 WHERE p.slug = $1 AND p.status = 'active' AND p.price_min IS NOT NULL
