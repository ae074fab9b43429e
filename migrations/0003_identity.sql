-- Identity: customers, admins, login sessions and tokens, social logins, signing keys,
-- addresses, the audit log, favorites and reviews.
--
-- Every secret a client presents (refresh token, e-mail link token) is stored only as its
-- SHA-256 hash (32 bytes), so a copy of the database cannot be replayed as credentials.
--
-- The login state of an OAuth flow (state, nonce, PKCE verifier, provider, redirect) has no
-- table: it lives in Redis for about ten minutes under the hash of `state` and is read with
-- GETDEL, which makes it single-use without a cleanup job.

-- A shop customer: the entity the shop calls "user". USER is a reserved word in SQL, so
-- the table is named app_user to spare every query the quotes that "user" would need.
-- Deleting an account anonymizes the row in place because orders, reviews and audit
-- entries keep referring to it.
CREATE TABLE app_user (
    id                 uuid PRIMARY KEY DEFAULT uuid_v7(),
    email              citext NOT NULL UNIQUE
                       CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    -- Argon2id hash in PHC format. Null for accounts that sign in only through a social provider.
    password_hash      text CHECK (password_hash LIKE '$argon2id$%'),
    -- ICU collation so that the admin customer list sorts names by Portuguese rules.
    name               text COLLATE "pt-BR-x-icu" NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    -- E.164, for example +5511987654321.
    phone              text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    -- Brazilian taxpayer number, digits only. The application verifies the check digits.
    cpf                char(11) UNIQUE CHECK (cpf ~ '^[0-9]{11}$'),
    email_verified_at  timestamptz,
    locale             text NOT NULL DEFAULT 'pt-BR' CHECK (locale IN ('pt-BR', 'en')),
    -- 'locked' is set by an admin and lasts until lifted. A lockout after failed logins
    -- uses locked_until instead and ends by itself.
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'anonymized')),
    failed_login_count integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
    locked_until       timestamptz,
    last_login_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- Set when the account was deleted and its personal data scrubbed. The CHECKs below
    -- clear password, phone and CPF. The anonymizing code must also replace the e-mail
    -- with a unique placeholder and the name with ''.
    anonymized_at      timestamptz,
    CHECK ((status = 'anonymized') = (anonymized_at IS NOT NULL)),
    CHECK (status <> 'anonymized' OR (password_hash IS NULL AND phone IS NULL AND cpf IS NULL))
);

-- Admin customer list, newest first, with a (created_at, id) cursor.
CREATE INDEX app_user_created_idx ON app_user (created_at DESC, id DESC);

CREATE TRIGGER app_user_touch BEFORE UPDATE ON app_user
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A member of the shop's staff who signs in to the admin panel with a password and TOTP.
-- Admins are disabled rather than deleted, and the audit_log foreign key rejects deleting
-- an admin who has entries.
CREATE TABLE admin_user (
    id                    uuid PRIMARY KEY DEFAULT uuid_v7(),
    email                 citext NOT NULL UNIQUE
                          CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    password_hash         text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The application maps each role to a fixed set of permissions.
    role                  text NOT NULL
                          CHECK (role IN ('owner', 'manager', 'catalog_editor', 'order_operator', 'support')),
    -- TOTP secret sealed with libsodium crypto_secretbox under the master key (nonce, then
    -- ciphertext). Null until the admin enrols an authenticator.
    totp_secret_encrypted bytea,
    -- Set once the admin has confirmed enrolment with a valid code.
    totp_enabled_at       timestamptz,
    -- Time step of the last accepted TOTP code. A code at or before this step is rejected,
    -- so an intercepted code cannot be replayed within its validity window.
    totp_last_step        bigint,
    status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
    failed_login_count    integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
    locked_until          timestamptz,
    last_login_at         timestamptz,
    created_by            uuid REFERENCES admin_user (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (totp_enabled_at IS NULL OR totp_secret_encrypted IS NOT NULL)
);

CREATE TRIGGER admin_user_touch BEFORE UPDATE ON admin_user
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One login: the family of refresh tokens that descend from one sign-in. Revoking the
-- session ends every token of the family, which is what reuse detection does.
CREATE TABLE auth_session (
    id                  uuid PRIMARY KEY DEFAULT uuid_v7(),
    user_id             uuid REFERENCES app_user (id) ON DELETE CASCADE,
    admin_user_id       uuid REFERENCES admin_user (id) ON DELETE CASCADE,
    -- The `aud` of the access tokens the session issues. Customer and admin tokens differ so
    -- that one is never accepted in place of the other.
    audience            text NOT NULL CHECK (audience IN ('customer', 'admin')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_used_at        timestamptz NOT NULL DEFAULT now(),
    -- Pushed forward on every refresh, but never past absolute_expires_at.
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    revoked_at          timestamptz,
    revoke_reason       text
                        CHECK (revoke_reason IN ('logout', 'logout_all', 'token_reuse', 'password_changed',
                                                 'account_locked', 'account_anonymized', 'admin_action')),
    user_agent          text CHECK (length(user_agent) <= 512),
    ip                  inet,
    CHECK (num_nonnulls(user_id, admin_user_id) = 1),
    CHECK ((audience = 'customer') = (user_id IS NOT NULL)),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
    CHECK (idle_expires_at <= absolute_expires_at)
);

-- "Sign out everywhere" and revocation on password change: the live sessions of one account.
CREATE INDEX auth_session_user_idx ON auth_session (user_id)
    WHERE revoked_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX auth_session_admin_idx ON auth_session (admin_user_id)
    WHERE revoked_at IS NULL AND admin_user_id IS NOT NULL;
-- The purge job deletes sessions whose absolute lifetime ended, revoked or not.
CREATE INDEX auth_session_expiry_idx ON auth_session (absolute_expires_at);

-- One refresh token of a session. Rotation marks the presented token used and links it
-- to its successor. A token that arrives a second time is found by its hash with used_at
-- set, and that reuse revokes the whole session.
CREATE TABLE refresh_token (
    id          uuid PRIMARY KEY DEFAULT uuid_v7(),
    session_id  uuid NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    -- SHA-256 of the 256-bit random token. The token itself is never stored.
    token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz,
    replaced_by uuid UNIQUE REFERENCES refresh_token (id) ON DELETE SET NULL,
    CHECK (replaced_by IS NULL OR used_at IS NOT NULL),
    CHECK (replaced_by <> id)
);

CREATE INDEX refresh_token_session_idx ON refresh_token (session_id);

-- A social login linked to a customer: the OpenID Connect subject at one provider.
CREATE TABLE oauth_identity (
    id            uuid PRIMARY KEY DEFAULT uuid_v7(),
    user_id       uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    -- Name of the provider in the configuration, for example 'google'.
    provider      text NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    -- The `iss` claim of the ID token, kept because a subject is unique only within its issuer.
    issuer        text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 300),
    -- The `sub` claim: the provider's stable id for the person.
    subject       text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    -- The e-mail the provider reported at the last login. It can differ from app_user.email.
    email         citext CHECK (length(email) <= 254),
    email_verified boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    UNIQUE (provider, subject)
);

-- "Linked accounts" on the profile page, and removal of the links on anonymization.
CREATE INDEX oauth_identity_user_idx ON oauth_identity (user_id);

-- A single-use token sent by e-mail to verify an address or reset a password.
CREATE TABLE email_token (
    id         uuid PRIMARY KEY DEFAULT uuid_v7(),
    user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    -- The address the link was sent to. A verification token confirms only this address,
    -- so it stops counting once the customer changes e-mail.
    email      citext NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CHECK (expires_at > created_at)
);

-- Issuing a new token or changing the password invalidates the account's unused tokens.
CREATE INDEX email_token_user_idx ON email_token (user_id, purpose) WHERE used_at IS NULL;
-- The purge job deletes expired tokens.
CREATE INDEX email_token_expiry_idx ON email_token (expires_at);

-- A key that signs access tokens (JWT). Keys are published as JWKS from creation until
-- expires_at, so verifiers know a key before it signs and keep accepting it until the last
-- token it signed has expired. At most one key signs at a time.
CREATE TABLE signing_key (
    id                    uuid PRIMARY KEY DEFAULT uuid_v7(),
    -- The `kid` header of the tokens this key signs.
    kid                   text NOT NULL UNIQUE CHECK (kid ~ '^[A-Za-z0-9_-]{8,64}$'),
    -- The one algorithm this key may be used with, so a token cannot pick another.
    algorithm             text NOT NULL CHECK (algorithm IN ('EdDSA', 'ES256')),
    -- Public half as a JWK. It must not contain the private member "d".
    public_jwk            jsonb NOT NULL CHECK (jsonb_typeof(public_jwk) = 'object' AND NOT public_jwk ? 'd'),
    -- Private key sealed with crypto_secretbox under the master key from the environment.
    private_key_encrypted bytea NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    -- Start and end of the period in which the key signs new tokens.
    activated_at          timestamptz,
    retired_at            timestamptz,
    -- End of verification: tokens signed by this key are rejected from then on, and the
    -- key leaves the JWKS. At least retired_at plus the access-token lifetime, except when
    -- a compromised key is withdrawn at once.
    expires_at            timestamptz,
    CHECK (activated_at IS NULL OR activated_at >= created_at),
    CHECK (retired_at IS NULL OR (activated_at IS NOT NULL AND retired_at >= activated_at)),
    CHECK (retired_at IS NULL OR (expires_at IS NOT NULL AND expires_at >= retired_at)),
    CHECK (expires_at IS NULL OR expires_at > created_at)
);

-- At most one key signs at a time. Rotation retires the old key, then activates the new one.
CREATE UNIQUE INDEX signing_key_one_active_idx ON signing_key ((true))
    WHERE activated_at IS NOT NULL AND retired_at IS NULL;

-- A customer's saved delivery address in Brazil. Orders copy the address they ship to, so
-- editing or deleting a row here never changes a placed order.
CREATE TABLE address (
    id             uuid PRIMARY KEY DEFAULT uuid_v7(),
    user_id        uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    -- A name the customer gives the address, for example 'Casa' or 'Trabalho'.
    label          text CHECK (length(label) <= 40),
    recipient_name text NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 200),
    -- CEP (postal code), digits only.
    cep            char(8) NOT NULL CHECK (cep ~ '^[0-9]{8}$'),
    street         text NOT NULL CHECK (length(street) BETWEEN 1 AND 200),
    -- Text because Brazilian addresses use values such as 'S/N' (no number) or '120-A'.
    number         text NOT NULL CHECK (length(number) BETWEEN 1 AND 20),
    complement     text CHECK (length(complement) <= 100),
    -- Bairro.
    district       text NOT NULL CHECK (length(district) BETWEEN 1 AND 100),
    city           text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    -- The 26 states and the Federal District.
    uf             char(2) NOT NULL
                   CHECK (uf IN ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG',
                                 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP',
                                 'SE', 'TO')),
    -- E.164, for the carrier.
    phone          text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    is_default     boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The address book of one customer, oldest first.
CREATE INDEX address_user_idx ON address (user_id, created_at);
-- At most one default address per customer. Changing the default clears the old flag first.
CREATE UNIQUE INDEX address_one_default_idx ON address (user_id) WHERE is_default;

CREATE TRIGGER address_touch BEFORE UPDATE ON address
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Who changed what. Every admin change writes a row in the same transaction as the change,
-- with the entity before and after it. System jobs and customers' account actions write
-- rows too.
CREATE TABLE audit_log (
    id             uuid PRIMARY KEY DEFAULT uuid_v7(),
    actor_type     text NOT NULL CHECK (actor_type IN ('admin', 'system', 'customer')),
    actor_admin_id uuid REFERENCES admin_user (id),
    actor_user_id  uuid REFERENCES app_user (id),
    -- Dotted verb such as 'product.update' or 'order.status_change'.
    action         text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    -- Table-like name of the entity, for example 'product'.
    entity_type    text NOT NULL CHECK (entity_type ~ '^[a-z_]+$'),
    -- Text because not every entity has a uuid key (a signing key is known by its kid).
    entity_id      text CHECK (length(entity_id) <= 200),
    before         jsonb,
    after          jsonb,
    ip             inet,
    -- The X-Request-Id of the HTTP request, to join the entry with the logs.
    request_id     text CHECK (length(request_id) <= 100),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((actor_type = 'admin') = (actor_admin_id IS NOT NULL)),
    CHECK ((actor_type = 'customer') = (actor_user_id IS NOT NULL))
);

-- The history of one entity, newest first, with a (created_at, id) cursor.
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at DESC, id DESC);
-- What one admin did, newest first.
CREATE INDEX audit_log_admin_idx ON audit_log (actor_admin_id, created_at DESC, id DESC)
    WHERE actor_admin_id IS NOT NULL;
-- What a customer did (support requests, LGPD access requests).
CREATE INDEX audit_log_user_idx ON audit_log (actor_user_id, created_at DESC, id DESC)
    WHERE actor_user_id IS NOT NULL;
-- The whole log by time, newest first, and time-range filters.
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);

-- A product a customer marked as favorite.
CREATE TABLE favorite (
    user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

-- The customer's favorites list, newest first, with a (created_at, product_id) cursor.
CREATE INDEX favorite_user_created_idx ON favorite (user_id, created_at DESC, product_id DESC);
-- Favorite counts per product for reports, and the cascade when a product is deleted.
CREATE INDEX favorite_product_idx ON favorite (product_id);

-- A customer's rating and comment on a product. Reviews appear on the storefront only
-- after a moderator approves them.
CREATE TABLE review (
    id               uuid PRIMARY KEY DEFAULT uuid_v7(),
    product_id       uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    -- The purchase the review is about, which marks it as a verified purchase. The foreign
    -- key to order_item is added in 0004_commerce.sql, where that table is created.
    order_item_id    uuid,
    rating           smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title            text CHECK (length(title) <= 120),
    body             text NOT NULL DEFAULT '' CHECK (length(body) <= 5000),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    moderated_by     uuid REFERENCES admin_user (id),
    moderated_at     timestamptz,
    -- Shown to the customer when a review is rejected.
    rejection_reason text CHECK (length(rejection_reason) <= 500),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, product_id),
    CHECK (status = 'pending' OR moderated_at IS NOT NULL)
);

-- Approved reviews of a product, newest first, with a (created_at, id) cursor. The included
-- rating lets the average rating of a product come from an index-only scan.
CREATE INDEX review_product_approved_idx ON review (product_id, created_at DESC, id DESC)
    INCLUDE (rating) WHERE status = 'approved';
-- Moderation queue, oldest first.
CREATE INDEX review_pending_idx ON review (created_at, id) WHERE status = 'pending';
-- All reviews of a product in the admin panel, and the cascade when a product is deleted.
CREATE INDEX review_product_idx ON review (product_id);

CREATE TRIGGER review_touch BEFORE UPDATE ON review
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
