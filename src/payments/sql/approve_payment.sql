-- Records a captured payment. $1 payment id.
UPDATE payment SET status = 'approved', captured_at = coalesce(captured_at, now()), failure_reason = NULL WHERE id = $1
