-- Opens the payment of an order. $1 order id, $2 provider, $3 method, $4 amount.
INSERT INTO payment (order_id, provider, method, amount) VALUES ($1, $2, $3, $4) RETURNING id
