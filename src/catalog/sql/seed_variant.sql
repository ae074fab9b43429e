-- Upserts one demo variant by SKU and its stock row.
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
    RETURNING id
)
INSERT INTO inventory (variant_id, on_hand, low_stock_threshold)
SELECT id, $10, $11 FROM upserted
ON CONFLICT (variant_id) DO UPDATE
   SET on_hand = greatest(EXCLUDED.on_hand, inventory.reserved),
       low_stock_threshold = EXCLUDED.low_stock_threshold
RETURNING variant_id
