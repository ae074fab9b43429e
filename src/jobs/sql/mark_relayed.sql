-- Records that jobs reached the queue. $1 outbox ids as a bigint array literal.
UPDATE outbox SET relayed_at = now() WHERE id = ANY ($1::bigint[])
