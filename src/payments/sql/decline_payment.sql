-- Records a declined payment. $1 payment id, $2 provider's reason.
UPDATE payment SET status = 'declined', failure_reason = left($2, 500) WHERE id = $1
