-- Creates a customer account from a social login: no password, e-mail verified by the
-- provider. Returns no row when the e-mail is taken. $1 e-mail, $2 name, $3 locale.
INSERT INTO app_user (email, name, locale, email_verified_at)
VALUES ($1, $2, $3, now())
ON CONFLICT DO NOTHING
RETURNING id
