-- Upserts one demo collection by slug. $1 slug, $2 name, $3 description, $4 position.
INSERT INTO collection (slug, name, description, position)
VALUES ($1, $2, $3, $4)
ON CONFLICT (slug) DO UPDATE
   SET name = EXCLUDED.name, description = EXCLUDED.description, position = EXCLUDED.position
RETURNING id
