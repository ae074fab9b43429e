-- Makes a guest cart the customer's cart when the customer has none. $1 guest cart id,
-- $2 user id.
UPDATE cart SET user_id = $2 WHERE id = $1 AND user_id IS NULL
