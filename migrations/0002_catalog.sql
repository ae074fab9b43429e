-- Catalog: products, variants, pendant options, images, collections and stock.
-- Money columns are integer centavos (BRL).

CREATE TABLE product (
    id              uuid PRIMARY KEY DEFAULT uuid_v7(),
    slug            text NOT NULL UNIQUE
                    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    -- ICU collation so that sorting by name follows Portuguese rules (accents, case).
    name            text COLLATE "pt-BR-x-icu" NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    category        text NOT NULL
                    CHECK (category IN ('colar', 'brinco', 'pulseira', 'anel', 'tornozeleira', 'conjunto')),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'archived')),
    accepts_pendant boolean NOT NULL DEFAULT false,
    -- Days a made-to-order piece needs before it can ship.
    lead_time_days  integer NOT NULL DEFAULT 0 CHECK (lead_time_days BETWEEN 0 AND 120),
    -- Summary of the active variants, kept by refresh_product_summary() so that list
    -- filters and sorts run on one indexed row per product.
    price_min       bigint CHECK (price_min > 0),
    price_max       bigint CHECK (price_max >= price_min),
    in_stock        boolean NOT NULL DEFAULT false,
    materials       text[] NOT NULL DEFAULT '{}',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One index per list sort order, each limited to what the storefront lists.
CREATE INDEX product_list_price_idx ON product (price_min, id)
    WHERE status = 'active' AND price_min IS NOT NULL;
CREATE INDEX product_list_newest_idx ON product (created_at DESC, id DESC)
    WHERE status = 'active' AND price_min IS NOT NULL;
CREATE INDEX product_list_name_idx ON product (name, id)
    WHERE status = 'active' AND price_min IS NOT NULL;
CREATE INDEX product_category_idx ON product (category) WHERE status = 'active';
CREATE INDEX product_materials_idx ON product USING gin (materials);

CREATE TRIGGER product_touch BEFORE UPDATE ON product
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE product_variant (
    id               uuid PRIMARY KEY DEFAULT uuid_v7(),
    product_id       uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    sku              text NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{2,39}$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    material         text NOT NULL
                     CHECK (material IN ('banhado_ouro_18k', 'banhado_ouro_rose', 'prata_925',
                                         'banhado_rodio', 'aco_inoxidavel')),
    size             text CHECK (length(size) <= 40),
    price            bigint NOT NULL CHECK (price > 0),
    compare_at_price bigint CHECK (compare_at_price > price),
    weight_grams     integer CHECK (weight_grams > 0),
    position         integer NOT NULL DEFAULT 0,
    is_active        boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX product_variant_product_idx ON product_variant (product_id, position);

CREATE TRIGGER product_variant_touch BEFORE UPDATE ON product_variant
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A charm or pendant a buyer adds to a necklace or bracelet: an initial, a birthstone, a
-- shape or a finish. Options are shared between products through product_pendant_option,
-- so one physical stock serves every piece that offers the charm.
CREATE TABLE pendant_option (
    id          uuid PRIMARY KEY DEFAULT uuid_v7(),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind        text NOT NULL CHECK (kind IN ('initial', 'birthstone', 'shape', 'finish')),
    price_delta bigint NOT NULL CHECK (price_delta >= 0),
    -- Object-storage key of the transparent layer the configurator draws over the photo.
    image_key   text CHECK (length(image_key) <= 300),
    position    integer NOT NULL DEFAULT 0,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER pendant_option_touch BEFORE UPDATE ON pendant_option
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE product_pendant_option (
    product_id        uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    pendant_option_id uuid NOT NULL REFERENCES pendant_option (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, pendant_option_id)
);

CREATE INDEX product_pendant_option_option_idx ON product_pendant_option (pendant_option_id);

CREATE TABLE product_image (
    id           uuid PRIMARY KEY DEFAULT uuid_v7(),
    product_id   uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    variant_id   uuid REFERENCES product_variant (id) ON DELETE SET NULL,
    storage_key  text NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 300),
    alt          text NOT NULL DEFAULT '' CHECK (length(alt) <= 300),
    content_type text NOT NULL DEFAULT 'image/jpeg',
    width        integer CHECK (width > 0),
    height       integer CHECK (height > 0),
    position     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- NOTE: not deferrable, because ON CONFLICT cannot use a deferrable constraint; an
    -- image reorder must move positions through a free value.
    UNIQUE (product_id, position)
);

CREATE INDEX product_image_variant_idx ON product_image (variant_id) WHERE variant_id IS NOT NULL;

CREATE TABLE collection (
    id          uuid PRIMARY KEY DEFAULT uuid_v7(),
    slug        text NOT NULL UNIQUE
                CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    image_key   text CHECK (length(image_key) <= 300),
    position    integer NOT NULL DEFAULT 0,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX collection_list_idx ON collection (position, id) WHERE is_active;

CREATE TRIGGER collection_touch BEFORE UPDATE ON collection
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE product_collection (
    collection_id uuid NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
    product_id    uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    position      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (collection_id, product_id)
);

CREATE INDEX product_collection_product_idx ON product_collection (product_id);
-- Lists a collection's products in the order the shop arranged them.
CREATE INDEX product_collection_position_idx ON product_collection (collection_id, position);

-- Stock of one sellable thing: a variant or a pendant option, never both.
-- Available units are on_hand - reserved; checkout reserves, shipping consumes.
CREATE TABLE inventory (
    id                  uuid PRIMARY KEY DEFAULT uuid_v7(),
    variant_id          uuid UNIQUE REFERENCES product_variant (id) ON DELETE CASCADE,
    pendant_option_id   uuid UNIQUE REFERENCES pendant_option (id) ON DELETE CASCADE,
    on_hand             integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    -- At or below this many available units the item counts as low stock.
    low_stock_threshold integer NOT NULL DEFAULT 3 CHECK (low_stock_threshold >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(variant_id, pendant_option_id) = 1)
);

CREATE TRIGGER inventory_touch BEFORE UPDATE ON inventory
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Recomputes the list summary of one product from its active variants and their stock.
-- The product row is locked first: two transactions that change stock of different
-- variants of one product then recompute one after the other, and the second sees the
-- first's committed change (READ COMMITTED takes a new snapshot per statement). Without
-- the lock both could compute from stale stock and leave in_stock wrong.
CREATE OR REPLACE FUNCTION refresh_product_summary(target uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM product WHERE id = target FOR NO KEY UPDATE;
    UPDATE product p
       SET price_min = s.price_min,
           price_max = s.price_max,
           in_stock  = s.in_stock,
           materials = s.materials
      FROM (SELECT min(v.price) AS price_min,
                   max(v.price) AS price_max,
                   coalesce(bool_or(i.on_hand - i.reserved > 0), false) AS in_stock,
                   coalesce(array_agg(DISTINCT v.material) FILTER (WHERE v.material IS NOT NULL),
                            '{}') AS materials
              FROM product_variant v
              LEFT JOIN inventory i ON i.variant_id = v.id
             WHERE v.product_id = target AND v.is_active) s
     WHERE p.id = target
       AND (p.price_min, p.price_max, p.in_stock, p.materials)
           IS DISTINCT FROM (s.price_min, s.price_max, s.in_stock, s.materials);
END
$$;

CREATE OR REPLACE FUNCTION product_variant_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refresh_product_summary(OLD.product_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.product_id <> OLD.product_id) THEN
        PERFORM refresh_product_summary(NEW.product_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER product_variant_summary
    AFTER INSERT OR UPDATE OF price, material, is_active, product_id OR DELETE ON product_variant
    FOR EACH ROW EXECUTE FUNCTION product_variant_changed();

CREATE OR REPLACE FUNCTION inventory_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    variant uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END;
BEGIN
    IF variant IS NOT NULL THEN
        PERFORM refresh_product_summary(v.product_id) FROM product_variant v WHERE v.id = variant;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER inventory_summary
    AFTER INSERT OR UPDATE OF on_hand, reserved OR DELETE ON inventory
    FOR EACH ROW EXECUTE FUNCTION inventory_changed();
