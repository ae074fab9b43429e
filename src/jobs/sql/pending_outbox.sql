-- The oldest jobs not yet relayed, locked so that another relay skips them. $1 batch size.
SELECT id, topic, payload::text
  FROM outbox
 WHERE relayed_at IS NULL
 ORDER BY created_at, id
 LIMIT $1
   FOR UPDATE SKIP LOCKED
