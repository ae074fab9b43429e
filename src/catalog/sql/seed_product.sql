-- Upserts one demo product by slug. created_at is set only on the first load.
-- $1 slug, $2 name, $3 description, $4 category, $5 accepts_pendant, $6 lead_time_days,
-- $7 age in days.
INSERT INTO product (slug, name, description, category, accepts_pendant, lead_time_days, created_at)
VALUES ($1, $2, $3, $4, $5, $6, now() - $7::integer * interval '1 day')
ON CONFLICT (slug) DO UPDATE
   SET name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
       accepts_pendant = EXCLUDED.accepts_pendant, lead_time_days = EXCLUDED.lead_time_days
RETURNING id
