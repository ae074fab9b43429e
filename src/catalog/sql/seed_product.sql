-- Upserts one demo product by slug and returns its id. created_at is set only on the
-- first load, and a row that already matches is left alone.
-- $1 slug, $2 name, $3 description, $4 category, $5 accepts_pendant, $6 lead_time_days,
-- $7 age in days.
WITH upserted AS (
    INSERT INTO product (slug, name, description, category, accepts_pendant, lead_time_days, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, now() - $7::integer * interval '1 day')
    ON CONFLICT (slug) DO UPDATE
       SET name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
           accepts_pendant = EXCLUDED.accepts_pendant, lead_time_days = EXCLUDED.lead_time_days
     WHERE (product.name, product.description, product.category, product.accepts_pendant,
            product.lead_time_days)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category,
                             EXCLUDED.accepts_pendant, EXCLUDED.lead_time_days)
    RETURNING id
)
SELECT id FROM upserted
UNION ALL
SELECT id FROM product WHERE slug = $1
LIMIT 1
