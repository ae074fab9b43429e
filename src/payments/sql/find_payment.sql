-- The payment a provider's id stands for. $1 provider, $2 provider payment id.
SELECT id FROM payment WHERE provider = $1 AND provider_payment_id = $2
