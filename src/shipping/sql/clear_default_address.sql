-- Clears the default flag of a customer's addresses before another becomes the default.
-- $1 user id.
UPDATE address SET is_default = false WHERE user_id = $1 AND is_default
