-- Adds units to a cart. The same variant, pendant and engraving again raises the quantity
-- of the existing line. $1 cart id, $2 variant id, $3 pendant option id, $4 engraving,
-- $5 quantity.
INSERT INTO cart_item (cart_id, variant_id, pendant_option_id, engraving, quantity)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (cart_id, variant_id, pendant_option_id, engraving)
DO UPDATE SET quantity = cart_item.quantity + EXCLUDED.quantity
RETURNING id
