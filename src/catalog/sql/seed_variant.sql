-- Upserts one demo variant by SKU. Stock is set only when the variant is new, so a second
-- seed neither changes the row nor resets stock that orders have moved.
-- $1 product id, $2 sku, $3 name, $4 material, $5 size, $6 price, $7 compare_at_price,
-- $8 weight_grams, $9 position, $10 stock, $11 low_stock_threshold.
WITH upserted AS (
    INSERT INTO product_variant (product_id, sku, name, material, size, price, compare_at_price,
                                 weight_grams, position)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (sku) DO UPDATE
       SET product_id = EXCLUDED.product_id, name = EXCLUDED.name, material = EXCLUDED.material,
           size = EXCLUDED.size, price = EXCLUDED.price,
           compare_at_price = EXCLUDED.compare_at_price, weight_grams = EXCLUDED.weight_grams,
           position = EXCLUDED.position
     WHERE (product_variant.product_id, product_variant.name, product_variant.material,
            product_variant.size, product_variant.price, product_variant.compare_at_price,
            product_variant.weight_grams, product_variant.position)
           IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.name, EXCLUDED.material, EXCLUDED.size,
                             EXCLUDED.price, EXCLUDED.compare_at_price, EXCLUDED.weight_grams,
                             EXCLUDED.position)
    RETURNING id
), variant AS (
    SELECT id FROM upserted
    UNION ALL
    SELECT id FROM product_variant WHERE sku = $2
    LIMIT 1
)
INSERT INTO inventory (variant_id, on_hand, low_stock_threshold)
SELECT id, $10, $11 FROM variant
ON CONFLICT (variant_id) DO NOTHING
