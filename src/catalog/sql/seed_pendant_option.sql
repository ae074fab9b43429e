-- Upserts one demo pendant option by code and its stock row.
-- $1 code, $2 name, $3 kind, $4 price_delta, $5 image_key, $6 position, $7 stock,
-- $8 low_stock_threshold. Stock never drops below what is already reserved.
WITH upserted AS (
    INSERT INTO pendant_option (code, name, kind, price_delta, image_key, position)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (code) DO UPDATE
       SET name = EXCLUDED.name, kind = EXCLUDED.kind, price_delta = EXCLUDED.price_delta,
           image_key = EXCLUDED.image_key, position = EXCLUDED.position
    RETURNING id
)
INSERT INTO inventory (pendant_option_id, on_hand, low_stock_threshold)
SELECT id, $7, $8 FROM upserted
ON CONFLICT (pendant_option_id) DO UPDATE
   SET on_hand = greatest(EXCLUDED.on_hand, inventory.reserved),
       low_stock_threshold = EXCLUDED.low_stock_threshold
RETURNING pendant_option_id
