-- Removes one line. $1 cart id, $2 line id.
DELETE FROM cart_item WHERE cart_id = $1 AND id = $2
