-- Upserts one demo image at a position, leaving a matching row alone. $1 product id,
-- $2 storage key, $3 alt text, $4 content type, $5 width, $6 height, $7 position.
INSERT INTO product_image (product_id, storage_key, alt, content_type, width, height, position)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (product_id, position) DO UPDATE
   SET storage_key = EXCLUDED.storage_key, alt = EXCLUDED.alt,
       content_type = EXCLUDED.content_type, width = EXCLUDED.width, height = EXCLUDED.height
 WHERE (product_image.storage_key, product_image.alt, product_image.content_type,
        product_image.width, product_image.height)
       IS DISTINCT FROM (EXCLUDED.storage_key, EXCLUDED.alt, EXCLUDED.content_type,
                         EXCLUDED.width, EXCLUDED.height)
