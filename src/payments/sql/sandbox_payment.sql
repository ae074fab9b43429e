-- A sandbox payment that the test endpoints may settle. $1 payment id.
SELECT provider_payment_id, status FROM payment WHERE id = $1 AND provider = 'sandbox'
