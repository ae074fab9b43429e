-- Marks active carts left untouched past their expiry as abandoned, a batch at a time.
-- $1 batch size.
UPDATE cart SET status = 'abandoned'
 WHERE id IN (SELECT id FROM cart WHERE status = 'active' AND expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
