-- Commerce: carts, orders, stock reservations, payments, payment-provider events,
-- idempotency keys and stock alerts.
-- Money columns are integer centavos (BRL).

-- A shopping cart, either a signed-in customer's or a guest's. A guest cart is found by the
-- hash of the token in the guest's cookie. At sign-in it is merged into the customer's
-- active cart, or adopted when the customer has none.
CREATE TABLE cart (
    id         uuid PRIMARY KEY DEFAULT uuid_v7(),
    user_id    uuid REFERENCES app_user (id) ON DELETE CASCADE,
    -- SHA-256 of the guest cart token. Kept after adoption, so the guest's cookie keeps working.
    token_hash bytea UNIQUE CHECK (octet_length(token_hash) = 32),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'converted', 'abandoned')),
    -- Pushed forward on every change. The cleanup job marks expired active carts abandoned.
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (user_id IS NOT NULL OR token_hash IS NOT NULL)
);

-- A customer has at most one active cart, which is also how "my cart" is looked up.
CREATE UNIQUE INDEX cart_user_active_idx ON cart (user_id)
    WHERE status = 'active' AND user_id IS NOT NULL;
-- The cleanup job finds active carts past expires_at.
CREATE INDEX cart_expiry_idx ON cart (expires_at) WHERE status = 'active';

CREATE TRIGGER cart_touch BEFORE UPDATE ON cart
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One line of a cart: a variant, optionally with a pendant and an engraving.
CREATE TABLE cart_item (
    id                uuid PRIMARY KEY DEFAULT uuid_v7(),
    cart_id           uuid NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
    variant_id        uuid NOT NULL REFERENCES product_variant (id) ON DELETE CASCADE,
    pendant_option_id uuid REFERENCES pendant_option (id) ON DELETE CASCADE,
    -- Text to engrave, or null for none. '' is rejected so that "no engraving" has one
    -- spelling, which the unique key below relies on.
    engraving         text CHECK (length(engraving) BETWEEN 1 AND 30 AND engraving !~ '[[:cntrl:]]'),
    quantity          integer NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- Adding the same configuration again raises the quantity of the existing line.
    -- NULLS NOT DISTINCT (PostgreSQL 15) makes two lines without pendant or engraving collide.
    UNIQUE NULLS NOT DISTINCT (cart_id, variant_id, pendant_option_id, engraving)
);

-- Cascades when a variant or pendant option is deleted.
CREATE INDEX cart_item_variant_idx ON cart_item (variant_id);
CREATE INDEX cart_item_pendant_idx ON cart_item (pendant_option_id) WHERE pendant_option_id IS NOT NULL;

CREATE TRIGGER cart_item_touch BEFORE UPDATE ON cart_item
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE SEQUENCE customer_order_number_seq;

-- Returns the next order number, BJ-<year>-<counter>, for example BJ-2026-000123. The year
-- is the calendar year in São Paulo. The counter does not restart each year, and it is
-- padded to six digits but grows past them rather than being cut.
CREATE FUNCTION next_order_number() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    counter bigint := nextval('customer_order_number_seq');
BEGIN
    RETURN 'BJ-' || to_char(now() AT TIME ZONE 'America/Sao_Paulo', 'YYYY') || '-'
        || lpad(counter::text, greatest(6, length(counter::text)), '0');
END
$$;

-- A placed order: the entity the shop calls "order". ORDER is a reserved word in SQL, so
-- the table is named customer_order to spare every query the quotes that "order" would need.
-- The order copies everything it needs to be shown and fulfilled (contact, address, names
-- and prices), so later catalog or profile edits never change it.
CREATE TABLE customer_order (
    id                     uuid PRIMARY KEY DEFAULT uuid_v7(),
    -- Human-readable number for e-mails, labels and support.
    number                 text NOT NULL UNIQUE DEFAULT next_order_number()
                           CHECK (number ~ '^BJ-[0-9]{4}-[0-9]{6,}$'),
    -- Null for a guest order, which is reached through number and e-mail.
    user_id                uuid REFERENCES app_user (id),
    -- Contact e-mail at checkout, for guests and customers alike.
    email                  citext NOT NULL
                           CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    customer_name          text NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
    -- Payer's CPF, digits only, which boleto and some Pix providers require.
    cpf                    char(11) CHECK (cpf ~ '^[0-9]{11}$'),
    -- Language of the order e-mails.
    locale                 text NOT NULL DEFAULT 'pt-BR' CHECK (locale IN ('pt-BR', 'en')),
    status                 text NOT NULL DEFAULT 'pending_payment'
                           CHECK (status IN ('pending_payment', 'paid', 'in_production', 'shipped', 'delivered',
                                             'cancelled', 'payment_failed', 'expired', 'refund_pending',
                                             'refunded')),
    -- Sum of order_item.line_total, checked at commit by the subtotal constraint triggers below.
    subtotal               bigint NOT NULL CHECK (subtotal >= 0),
    shipping_total         bigint NOT NULL DEFAULT 0 CHECK (shipping_total >= 0),
    discount_total         bigint NOT NULL DEFAULT 0 CHECK (discount_total >= 0),
    total                  bigint NOT NULL CHECK (total >= 0),
    currency               char(3) NOT NULL DEFAULT 'BRL' CHECK (currency ~ '^[A-Z]{3}$'),
    -- Copy of the delivery address at checkout, with the fields of the address table.
    shipping_address       jsonb NOT NULL
                           CHECK (jsonb_typeof(shipping_address) = 'object'
                                  AND shipping_address ?& ARRAY['recipient_name', 'cep', 'street', 'number',
                                                                'district', 'city', 'uf']),
    -- Code of the shipping service quoted at checkout, for example 'correios_pac'.
    shipping_option        text NOT NULL CHECK (shipping_option ~ '^[a-z0-9_]{1,40}$'),
    tracking_code          text CHECK (length(tracking_code) BETWEEN 1 AND 40),
    -- Until this time the order's stock stays reserved while payment is pending.
    reservation_expires_at timestamptz,
    paid_at                timestamptz,
    shipped_at             timestamptz,
    delivered_at           timestamptz,
    cancelled_at           timestamptz,
    -- Optimistic-lock version. Admin updates send it in If-Match, get 412 when it is stale,
    -- and increment it.
    version                integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (total = subtotal + shipping_total - discount_total),
    CHECK (status <> 'pending_payment' OR reservation_expires_at IS NOT NULL),
    CHECK (status NOT IN ('paid', 'in_production', 'shipped', 'delivered', 'refund_pending', 'refunded')
           OR paid_at IS NOT NULL),
    CHECK (status NOT IN ('shipped', 'delivered') OR shipped_at IS NOT NULL),
    CHECK (status <> 'delivered' OR delivered_at IS NOT NULL),
    CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL)
);

ALTER SEQUENCE customer_order_number_seq OWNED BY customer_order.number;

-- "My orders", newest first, with a (created_at, id) cursor.
CREATE INDEX customer_order_user_idx ON customer_order (user_id, created_at DESC, id DESC)
    WHERE user_id IS NOT NULL;
-- Admin order list filtered by status.
CREATE INDEX customer_order_status_idx ON customer_order (status, created_at, id);
-- Admin order list without a filter, newest first, and reports over a date range.
CREATE INDEX customer_order_created_idx ON customer_order (created_at DESC, id DESC);
-- The expiry job finds unpaid orders whose reservation has run out.
CREATE INDEX customer_order_reservation_idx ON customer_order (reservation_expires_at)
    WHERE status = 'pending_payment';
-- Guest orders placed with an e-mail, linked to the account when that e-mail registers.
CREATE INDEX customer_order_guest_email_idx ON customer_order (email) WHERE user_id IS NULL;

CREATE TRIGGER customer_order_touch BEFORE UPDATE ON customer_order
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One line of an order, with copies of the names and prices at checkout.
-- Variants and pendant options that were ever ordered cannot be deleted (the foreign keys
-- restrict it), which keeps sales reports joined to the catalog. Archive them instead.
CREATE TABLE order_item (
    id                  uuid PRIMARY KEY DEFAULT uuid_v7(),
    order_id            uuid NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    variant_id          uuid NOT NULL REFERENCES product_variant (id),
    pendant_option_id   uuid REFERENCES pendant_option (id),
    product_name        text NOT NULL CHECK (length(product_name) BETWEEN 1 AND 200),
    variant_name        text NOT NULL CHECK (length(variant_name) BETWEEN 1 AND 200),
    sku                 text NOT NULL CHECK (length(sku) BETWEEN 1 AND 40),
    pendant_name        text CHECK (length(pendant_name) BETWEEN 1 AND 120),
    unit_price          bigint NOT NULL CHECK (unit_price > 0),
    pendant_price_delta bigint NOT NULL DEFAULT 0 CHECK (pendant_price_delta >= 0),
    quantity            integer NOT NULL CHECK (quantity > 0),
    line_total          bigint NOT NULL,
    engraving           text CHECK (length(engraving) BETWEEN 1 AND 30),
    CHECK (line_total = (unit_price + pendant_price_delta) * quantity),
    CHECK ((pendant_option_id IS NULL) = (pendant_name IS NULL)),
    CHECK (pendant_option_id IS NOT NULL OR pendant_price_delta = 0)
);

-- The lines of one order.
CREATE INDEX order_item_order_idx ON order_item (order_id);
-- Sales per variant and per pendant in reports, and the restrict checks on delete.
CREATE INDEX order_item_variant_idx ON order_item (variant_id);
CREATE INDEX order_item_pendant_idx ON order_item (pendant_option_id) WHERE pendant_option_id IS NOT NULL;

-- Raises check_violation unless the order's subtotal equals the sum of its line totals.
-- A missing order (deleted in the same transaction) passes.
CREATE FUNCTION check_order_subtotal(target uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    stored   bigint;
    computed bigint;
BEGIN
    SELECT o.subtotal, (SELECT coalesce(sum(i.line_total), 0) FROM order_item i WHERE i.order_id = o.id)
      INTO stored, computed
      FROM customer_order o
     WHERE o.id = target;
    IF FOUND AND stored <> computed THEN
        RAISE EXCEPTION 'order % has subtotal % but its items sum to % centavos', target, stored, computed
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;

CREATE FUNCTION order_subtotal_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'customer_order' THEN
        PERFORM check_order_subtotal(NEW.id);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM check_order_subtotal(NEW.order_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.order_id <> OLD.order_id) THEN
        PERFORM check_order_subtotal(OLD.order_id);
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to commit so that an order and its items can be inserted in any order.
CREATE CONSTRAINT TRIGGER customer_order_subtotal
    AFTER INSERT OR UPDATE OF subtotal ON customer_order
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION order_subtotal_check();
CREATE CONSTRAINT TRIGGER order_item_subtotal
    AFTER INSERT OR UPDATE OF order_id, line_total OR DELETE ON order_item
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION order_subtotal_check();

-- A verified-purchase review points at the order line it is about.
ALTER TABLE review
    ADD CONSTRAINT review_order_item_id_fkey
    FOREIGN KEY (order_item_id) REFERENCES order_item (id) ON DELETE SET NULL;
CREATE INDEX review_order_item_idx ON review (order_item_id) WHERE order_item_id IS NOT NULL;

-- Units of one inventory row held for one order. While a reservation is active its units
-- count in inventory.reserved. Releasing returns them to sale, and consuming takes them
-- out of on_hand when the order ships. A trigger applies these moves to inventory, so the
-- application writes only this table.
CREATE TABLE inventory_reservation (
    id           uuid PRIMARY KEY DEFAULT uuid_v7(),
    order_id     uuid NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    inventory_id uuid NOT NULL REFERENCES inventory (id),
    quantity     integer NOT NULL CHECK (quantity > 0),
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'consumed')),
    -- When an unpaid order loses its stock. Set to null when the order is paid, because the
    -- units then stay reserved until the order ships.
    expires_at   timestamptz,
    -- When the reservation was released or consumed. Set by the trigger.
    settled_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Order lines that share a variant or a pendant option share one reservation.
    UNIQUE (order_id, inventory_id),
    CHECK ((status = 'active') = (settled_at IS NULL))
);

-- The expiry job finds active reservations past expires_at. Partial, because settled rows
-- accumulate and are never read by that job.
CREATE INDEX inventory_reservation_expiry_idx ON inventory_reservation (expires_at)
    WHERE status = 'active' AND expires_at IS NOT NULL;
-- The reservations holding one inventory row (admin stock view), and the restrict check
-- when an inventory row is deleted.
CREATE INDEX inventory_reservation_inventory_idx ON inventory_reservation (inventory_id);

-- Applies a reservation change to inventory. An insert adds to reserved, release subtracts
-- from reserved, consumption subtracts from reserved and on_hand, and deleting an active
-- reservation releases it. A reservation that would oversell breaks the inventory CHECK
-- (reserved <= on_hand) and fails with check_violation.
-- NOTE: checkout should reserve its rows in inventory_id order, so that two checkouts
-- sharing items lock the inventory rows in the same order and cannot deadlock.
CREATE FUNCTION inventory_reservation_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'active' THEN
            RAISE EXCEPTION 'new inventory reservation must be active, not %', NEW.status
                USING ERRCODE = 'check_violation';
        END IF;
        UPDATE inventory SET reserved = reserved + NEW.quantity WHERE id = NEW.inventory_id;
        RETURN NEW;
    END IF;

    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'active' THEN
            UPDATE inventory SET reserved = reserved - OLD.quantity WHERE id = OLD.inventory_id;
        END IF;
        RETURN OLD;
    END IF;

    IF (NEW.order_id, NEW.inventory_id, NEW.quantity)
       IS DISTINCT FROM (OLD.order_id, OLD.inventory_id, OLD.quantity) THEN
        RAISE EXCEPTION 'inventory reservation % cannot change its order, inventory or quantity. '
                        'Release it and reserve again.', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF OLD.status <> 'active' THEN
        RAISE EXCEPTION 'inventory reservation % is already %', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;

    NEW.settled_at := now();
    IF NEW.status = 'released' THEN
        UPDATE inventory SET reserved = reserved - OLD.quantity WHERE id = OLD.inventory_id;
    ELSE
        UPDATE inventory
           SET reserved = reserved - OLD.quantity,
               on_hand  = on_hand - OLD.quantity
         WHERE id = OLD.inventory_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER inventory_reservation_apply
    BEFORE INSERT OR UPDATE OR DELETE ON inventory_reservation
    FOR EACH ROW EXECUTE FUNCTION inventory_reservation_apply();

-- One payment attempt for an order at a payment provider. An order can have several, for
-- example a declined card followed by a Pix.
CREATE TABLE payment (
    id                    uuid PRIMARY KEY DEFAULT uuid_v7(),
    order_id              uuid NOT NULL REFERENCES customer_order (id),
    provider              text NOT NULL CHECK (provider IN ('sandbox', 'mercadopago', 'stripe')),
    method                text NOT NULL CHECK (method IN ('pix', 'card', 'boleto')),
    status                text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'authorized', 'approved', 'declined', 'expired', 'refunded',
                                            'cancelled')),
    amount                bigint NOT NULL CHECK (amount > 0),
    currency              char(3) NOT NULL DEFAULT 'BRL' CHECK (currency ~ '^[A-Z]{3}$'),
    -- The provider's id for the payment. Null until the provider has answered.
    provider_payment_id   text CHECK (length(provider_payment_id) BETWEEN 1 AND 200),
    -- Card payments in Brazil may be split into monthly installments (parcelas).
    installments          smallint NOT NULL DEFAULT 1 CHECK (installments BETWEEN 1 AND 12),
    card_brand            text CHECK (length(card_brand) <= 20),
    card_last4            char(4) CHECK (card_last4 ~ '^[0-9]{4}$'),
    -- Pix "copia e cola": the EMV BR Code the customer pastes into the bank app, and the
    -- payload of the QR code.
    pix_copy_paste        text CHECK (length(pix_copy_paste) <= 512),
    pix_expires_at        timestamptz,
    -- The 44-digit barcode and the 47-digit typeable line of a boleto, digits only.
    boleto_barcode        text CHECK (boleto_barcode ~ '^[0-9]{44}$'),
    boleto_digitable_line text CHECK (boleto_digitable_line ~ '^[0-9]{47}$'),
    boleto_url            text CHECK (length(boleto_url) <= 1000),
    boleto_due_date       date,
    refunded_amount       bigint NOT NULL DEFAULT 0
                          CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
    authorized_at         timestamptz,
    captured_at           timestamptz,
    -- The provider's reason for a decline or an error, for support.
    failure_reason        text CHECK (length(failure_reason) <= 500),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_payment_id),
    CHECK (method = 'card' OR (installments = 1 AND card_brand IS NULL AND card_last4 IS NULL)),
    CHECK (method = 'pix' OR (pix_copy_paste IS NULL AND pix_expires_at IS NULL)),
    CHECK (method = 'boleto' OR (boleto_barcode IS NULL AND boleto_digitable_line IS NULL
                                 AND boleto_url IS NULL AND boleto_due_date IS NULL)),
    CHECK (status NOT IN ('approved', 'refunded') OR captured_at IS NOT NULL),
    CHECK (status <> 'refunded' OR refunded_amount > 0)
);

-- The payments of one order, oldest first.
CREATE INDEX payment_order_idx ON payment (order_id, created_at);

CREATE TRIGGER payment_touch BEFORE UPDATE ON payment
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A webhook notification from a payment provider, stored as received before it is
-- processed. The worker processes it and records the outcome.
CREATE TABLE payment_event (
    id                uuid PRIMARY KEY DEFAULT uuid_v7(),
    provider          text NOT NULL CHECK (provider IN ('sandbox', 'mercadopago', 'stripe')),
    provider_event_id text NOT NULL CHECK (length(provider_event_id) BETWEEN 1 AND 200),
    event_type        text NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
    -- Null until the event is matched to a payment, or when it matches none.
    payment_id        uuid REFERENCES payment (id),
    -- Parsed body. Null when the body is not valid JSON.
    payload           jsonb,
    -- Exact bytes received, because signatures cover them and jsonb does not keep them.
    raw_body          bytea NOT NULL,
    signature_valid   boolean NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    processed_at      timestamptz,
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    processing_error  text
);

-- Deduplicates provider retries: a provider event id is processed once. Only events with a
-- valid signature count, so a forged request that reuses a real event id is stored for
-- inspection but cannot block the genuine event. Insert with
-- ON CONFLICT (provider, provider_event_id) WHERE signature_valid DO NOTHING.
CREATE UNIQUE INDEX payment_event_provider_event_idx ON payment_event (provider, provider_event_id)
    WHERE signature_valid;
-- The worker's queue of verified events not yet processed, oldest first.
CREATE INDEX payment_event_unprocessed_idx ON payment_event (received_at)
    WHERE processed_at IS NULL AND signature_valid;
-- The events of one payment, for support and the admin order page.
CREATE INDEX payment_event_payment_idx ON payment_event (payment_id, received_at)
    WHERE payment_id IS NOT NULL;

-- The stored outcome of a request sent with an Idempotency-Key header. A retry with the
-- same key and the same request gets the stored response, and with another request 422.
CREATE TABLE idempotency_key (
    -- Whose key it is: 'user:<uuid>' for a customer, 'guest:<cart uuid>' for a guest.
    -- Keys of different clients never collide.
    scope           text NOT NULL CHECK (length(scope) BETWEEN 1 AND 100),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the method, path and body of the first request.
    request_hash    bytea NOT NULL CHECK (octet_length(request_hash) = 32),
    -- Null while the first request is still running. A concurrent retry then gets 409.
    response_status integer CHECK (response_status BETWEEN 100 AND 599),
    response_body   jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, key),
    CHECK (response_body IS NULL OR response_status IS NOT NULL)
);

-- The purge job deletes expired keys.
CREATE INDEX idempotency_key_expiry_idx ON idempotency_key (expires_at);

-- A stock alert for the admin panel: an inventory row fell to its low-stock threshold or
-- ran out. Open until an admin acknowledges it.
CREATE TABLE stock_alert (
    id              uuid PRIMARY KEY DEFAULT uuid_v7(),
    inventory_id    uuid NOT NULL REFERENCES inventory (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock')),
    -- Available units (on_hand - reserved) when the alert was raised.
    available       integer NOT NULL CHECK (available >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz,
    acknowledged_by uuid REFERENCES admin_user (id),
    CHECK (acknowledged_by IS NULL OR acknowledged_at IS NOT NULL)
);

-- At most one open alert of each kind per inventory row, so repeated stock moves do not
-- pile up alerts. Insert with ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX stock_alert_open_idx ON stock_alert (inventory_id, kind)
    WHERE acknowledged_at IS NULL;
-- Open alerts, newest first, for the admin dashboard.
CREATE INDEX stock_alert_open_created_idx ON stock_alert (created_at DESC, id DESC)
    WHERE acknowledged_at IS NULL;
