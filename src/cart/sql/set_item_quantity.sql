-- Sets the quantity of one line. $1 cart id, $2 line id, $3 quantity.
UPDATE cart_item SET quantity = $3 WHERE cart_id = $1 AND id = $2
