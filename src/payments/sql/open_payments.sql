-- Whether an order still has another payment that may succeed. $1 order id, $2 payment id.
SELECT EXISTS (SELECT 1 FROM payment WHERE order_id = $1 AND id <> $2 AND status IN ('pending', 'authorized'))
