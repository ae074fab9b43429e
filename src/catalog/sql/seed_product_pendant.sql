-- Offers a pendant option, by code, with a demo product and returns the option id, or no
-- row when the code is unknown. $1 product id, $2 option code.
WITH linked AS (
    INSERT INTO product_pendant_option (product_id, pendant_option_id)
    SELECT $1, o.id FROM pendant_option o WHERE o.code = $2
    ON CONFLICT DO NOTHING
    RETURNING pendant_option_id
)
SELECT pendant_option_id FROM linked
UNION ALL
SELECT id FROM pendant_option WHERE code = $2
LIMIT 1
