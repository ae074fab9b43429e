-- Records the outcome of processing a webhook event. $1 event id, $2 payment id or NULL,
-- $3 error or NULL.
UPDATE payment_event
   SET processed_at = CASE WHEN $3::text IS NULL THEN now() ELSE processed_at END,
       payment_id = coalesce($2::uuid, payment_id), attempts = attempts + 1, processing_error = $3
 WHERE id = $1
