-- Upserts one demo pendant option by code. Stock is set only when the option is new, so a
-- second seed neither changes the row nor resets stock that orders have moved.
-- $1 code, $2 name, $3 kind, $4 price_delta, $5 image_key, $6 position, $7 stock,
-- $8 low_stock_threshold.
WITH upserted AS (
    INSERT INTO pendant_option (code, name, kind, price_delta, image_key, position)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (code) DO UPDATE
       SET name = EXCLUDED.name, kind = EXCLUDED.kind, price_delta = EXCLUDED.price_delta,
           image_key = EXCLUDED.image_key, position = EXCLUDED.position
     WHERE (pendant_option.name, pendant_option.kind, pendant_option.price_delta,
            pendant_option.image_key, pendant_option.position)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.price_delta,
                             EXCLUDED.image_key, EXCLUDED.position)
    RETURNING id
), option AS (
    SELECT id FROM upserted
    UNION ALL
    SELECT id FROM pendant_option WHERE code = $1
    LIMIT 1
)
INSERT INTO inventory (pendant_option_id, on_hand, low_stock_threshold)
SELECT id, $7, $8 FROM option
ON CONFLICT (pendant_option_id) DO NOTHING
