-- Generates a benchmark catalogue of :products products with 2 or 3 variants each (about
-- 2.5 per product, so 2,000 products give about 5,000 variants), stock for every variant,
-- one image per product and 20 collections. Run with
--   psql -v products=2000 -f bench/generate_catalog.sql DATABASE_URL
-- on a migrated, empty database.
\set ON_ERROR_STOP on

BEGIN;

INSERT INTO collection (slug, name, description, position)
SELECT 'colecao-bench-' || i, 'Coleção de teste ' || i, 'Coleção gerada para medir desempenho.', i
  FROM generate_series(1, 20) AS i;

INSERT INTO product (slug, name, description, category, accepts_pendant, created_at)
SELECT 'produto-bench-' || i,
       (ARRAY['Colar', 'Brinco', 'Pulseira', 'Anel', 'Tornozeleira', 'Conjunto'])[1 + i % 6]
           || ' ' || (ARRAY['Lua', 'Estrela', 'Coração', 'Gota', 'Trevo', 'Ônix', 'Pérola'])[1 + i % 7]
           || ' ' || i,
       'Peça gerada para medir o desempenho da listagem.',
       (ARRAY['colar', 'brinco', 'pulseira', 'anel', 'tornozeleira', 'conjunto'])[1 + i % 6],
       i % 6 IN (0, 2),
       now() - i * interval '1 minute'
  FROM generate_series(1, :products) AS i;

CREATE TEMP TABLE bench_product AS
SELECT id, substring(slug FROM 15)::integer AS n FROM product WHERE slug LIKE 'produto-bench-%';

INSERT INTO product_variant (product_id, sku, name, material, size, price, position)
SELECT p.id,
       'BENCH-' || p.n || '-' || v,
       'Variante ' || v,
       (ARRAY['banhado_ouro_18k', 'banhado_ouro_rose', 'prata_925', 'banhado_rodio', 'aco_inoxidavel'])[1 + (p.n + v) % 5],
       CASE WHEN p.n % 6 = 3 THEN (14 + 2 * v)::text END,
       2990 + ((p.n * 37 + v * 101) % 40000),
       v
  FROM bench_product p
 CROSS JOIN LATERAL generate_series(1, 2 + p.n % 2) AS v;

INSERT INTO inventory (variant_id, on_hand, low_stock_threshold)
SELECT v.id, (p.n * 7 + v.position) % 30, 3
  FROM product_variant v
  JOIN bench_product p ON p.id = v.product_id;

INSERT INTO product_image (product_id, storage_key, alt, content_type, width, height, position)
SELECT p.id, 'products/colar-coracao-delicado-1.svg', 'Foto do produto ' || p.n, 'image/svg+xml', 800, 800, 0
  FROM bench_product p;

INSERT INTO product_collection (collection_id, product_id, position)
SELECT c.id, p.id, p.n
  FROM bench_product p
  JOIN collection c ON c.slug = 'colecao-bench-' || (1 + p.n % 20);

COMMIT;

ANALYZE;

SELECT (SELECT count(*) FROM product) AS products, (SELECT count(*) FROM product_variant) AS variants;
