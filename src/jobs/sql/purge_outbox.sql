-- Deletes jobs relayed more than $1 seconds ago.
DELETE FROM outbox WHERE relayed_at < now() - $1::integer * interval '1 second'
