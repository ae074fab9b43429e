-- Creates a customer account. Returns no row when the e-mail or the CPF is taken.
-- $1 email, $2 password hash, $3 name, $4 phone, $5 CPF digits, $6 locale.
INSERT INTO app_user (email, password_hash, name, phone, cpf, locale)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT DO NOTHING
RETURNING id
