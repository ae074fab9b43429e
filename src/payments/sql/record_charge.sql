-- Stores the provider's response to a new charge. The status is left alone: the caller
-- applies a settled charge through the payment processing, and a webhook may have settled
-- the payment already. $1 payment id, $2 provider
-- payment id, $3 Pix code, $4 Pix expiry, $5 boleto barcode, $6 typeable line, $7 boleto
-- URL, $8 boleto due date, $9 failure reason.
UPDATE payment
   SET provider_payment_id = coalesce($2, provider_payment_id), pix_copy_paste = $3, pix_expires_at = $4::timestamptz, boleto_barcode = $5,
       boleto_digitable_line = $6, boleto_url = $7, boleto_due_date = $8::date, failure_reason = $9
 WHERE id = $1
