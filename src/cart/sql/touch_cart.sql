-- Pushes the cart's expiry forward after a change. $1 cart id, $2 lifetime in seconds.
UPDATE cart SET expires_at = now() + $2::integer * interval '1 second' WHERE id = $1
