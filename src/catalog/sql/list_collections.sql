-- Active collections in display order, with how many listed products each has.
SELECT c.id, c.slug, c.name, c.description, c.image_key,
       (SELECT count(*)
          FROM product_collection pc
          JOIN product p ON p.id = pc.product_id
         WHERE pc.collection_id = c.id AND p.status = 'active' AND p.price_min IS NOT NULL)
           AS product_count
  FROM collection c
 WHERE c.is_active
 ORDER BY c.position, c.id
