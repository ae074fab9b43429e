-- Upserts one demo collection by slug and returns its id. A row that already matches is
-- left alone, so a second seed changes nothing, updated_at included.
-- $1 slug, $2 name, $3 description, $4 position.
WITH upserted AS (
    INSERT INTO collection (slug, name, description, position)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (slug) DO UPDATE
       SET name = EXCLUDED.name, description = EXCLUDED.description, position = EXCLUDED.position
     WHERE (collection.name, collection.description, collection.position)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.position)
    RETURNING id
)
SELECT id FROM upserted
UNION ALL
SELECT id FROM collection WHERE slug = $1
LIMIT 1
