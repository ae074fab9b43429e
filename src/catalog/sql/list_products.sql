-- Product list page. The repository makes one statement per sort order by replacing
-- /*keyset*/ and /*order*/ with that order's keyset condition and ORDER BY list.
-- $1 category, $2 material, $3 min_price, $4 max_price, $5 in_stock, $6 collection slug
-- (each NULL when not filtered), $7 $8 the keyset cursor, $9 the page size.
SELECT p.id, p.slug, p.name, p.category, p.price_min, p.price_max, p.in_stock,
       p.accepts_pendant, array_to_string(p.materials, ',') AS materials,
       (extract(epoch FROM p.created_at) * 1000000)::bigint AS created_us,
       img.storage_key AS image_key, img.alt AS image_alt
  FROM product p
  LEFT JOIN LATERAL (
        SELECT i.storage_key, i.alt
          FROM product_image i
         WHERE i.product_id = p.id
         ORDER BY i.position
         LIMIT 1) img ON true
 WHERE p.status = 'active' AND p.price_min IS NOT NULL
   AND ($1::text IS NULL OR p.category = $1)
   AND ($2::text IS NULL OR p.materials @> ARRAY[$2::text])
   AND ($3::bigint IS NULL OR p.price_max >= $3)
   AND ($4::bigint IS NULL OR p.price_min <= $4)
   AND ($5::boolean IS NULL OR p.in_stock = $5)
   AND ($6::text IS NULL OR EXISTS (
           SELECT 1
             FROM product_collection pc
             JOIN collection c ON c.id = pc.collection_id
            WHERE pc.product_id = p.id AND c.slug = $6 AND c.is_active))
   AND /*keyset*/
 ORDER BY /*order*/
 LIMIT $9
