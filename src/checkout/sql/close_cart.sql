-- Marks a cart checked out. $1 cart id.
UPDATE cart SET status = 'converted' WHERE id = $1
