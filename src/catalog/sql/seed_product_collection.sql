-- Links a demo product to a collection by the collection's slug. $1 product id, $2 slug,
-- $3 position.
INSERT INTO product_collection (collection_id, product_id, position)
SELECT c.id, $1, $3 FROM collection c WHERE c.slug = $2
ON CONFLICT (collection_id, product_id) DO UPDATE SET position = EXCLUDED.position
RETURNING collection_id
