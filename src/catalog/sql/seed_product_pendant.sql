-- Offers a pendant option, by code, with a demo product. $1 product id, $2 option code.
INSERT INTO product_pendant_option (product_id, pendant_option_id)
SELECT $1, o.id FROM pendant_option o WHERE o.code = $2
ON CONFLICT (product_id, pendant_option_id) DO UPDATE SET product_id = EXCLUDED.product_id
RETURNING pendant_option_id
