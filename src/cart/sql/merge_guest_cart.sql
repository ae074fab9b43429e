-- Moves the lines of a guest cart ($1) into a customer's cart ($2). A configuration in
-- both carts gets the sum of the two quantities, capped at 20 per line; the caller then
-- caps each line by stock. The guest cart is marked merged.
WITH moved AS (
    INSERT INTO cart_item (cart_id, variant_id, pendant_option_id, engraving, quantity)
    SELECT $2, variant_id, pendant_option_id, engraving, quantity FROM cart_item WHERE cart_id = $1
    ON CONFLICT (cart_id, variant_id, pendant_option_id, engraving)
    DO UPDATE SET quantity = least(cart_item.quantity + EXCLUDED.quantity, 20)
    RETURNING 1
)
UPDATE cart SET status = 'merged' WHERE id = $1 AND (SELECT count(*) FROM moved) >= 0
