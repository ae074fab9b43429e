-- One line of a cart. $1 cart id, $2 line id.
SELECT variant_id, pendant_option_id, engraving, quantity FROM cart_item WHERE cart_id = $1 AND id = $2
