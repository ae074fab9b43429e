-- Locks inventory rows in id order and returns the units free in each. $1 uuid array.
SELECT id, on_hand - reserved FROM inventory WHERE id = ANY ($1::uuid[]) ORDER BY id FOR UPDATE
