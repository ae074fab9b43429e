-- Links a demo product to a collection by the collection's slug and returns the
-- collection id, or no row when the slug is unknown. $1 product id, $2 slug, $3 position.
WITH linked AS (
    INSERT INTO product_collection (collection_id, product_id, position)
    SELECT c.id, $1, $3 FROM collection c WHERE c.slug = $2
    ON CONFLICT (collection_id, product_id) DO UPDATE SET position = EXCLUDED.position
     WHERE product_collection.position IS DISTINCT FROM EXCLUDED.position
    RETURNING collection_id
)
SELECT collection_id FROM linked
UNION ALL
SELECT id FROM collection WHERE slug = $2
LIMIT 1
