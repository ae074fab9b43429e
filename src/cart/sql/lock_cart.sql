-- Locks an active cart for a change, so concurrent changes to one cart run one at a time.
-- $1 cart id.
SELECT id FROM cart WHERE id = $1 AND status = 'active' FOR UPDATE
