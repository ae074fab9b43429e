-- Stores the provider's id of a new charge at once, in a transaction of its own, so that
-- its webhooks find the payment even if storing the rest of the response fails.
-- $1 payment id, $2 provider payment id.
UPDATE payment SET provider_payment_id = $2 WHERE id = $1 AND provider_payment_id IS NULL
