-- Copies one cart line into an order with the names and prices of this moment.
-- $1 order id, $2 variant id, $3 pendant option id, $4 product name, $5 variant name,
-- $6 SKU, $7 pendant name, $8 variant price, $9 pendant price delta, $10 quantity,
-- $11 engraving.
INSERT INTO order_item (order_id, variant_id, pendant_option_id, product_name, variant_name, sku, pendant_name,
                        unit_price, pendant_price_delta, quantity, line_total, engraving)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ($8::bigint + $9::bigint) * $10::integer, $11)
