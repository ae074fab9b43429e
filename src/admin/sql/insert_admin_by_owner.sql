-- Creates an admin on an owner's behalf, with TOTP enrolled. $1 email, $2 password hash,
-- $3 name, $4 role, $5 sealed TOTP secret (base64), $6 creating owner. Returns no row when
-- the e-mail is taken.
INSERT INTO admin_user (email, password_hash, name, role, totp_secret_encrypted, totp_enabled_at, created_by)
VALUES ($1, $2, $3, $4, decode($5, 'base64'), now(), $6)
ON CONFLICT (email) DO NOTHING
RETURNING id
