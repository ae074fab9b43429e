-- What an order copies from the account. $1 user id.
SELECT email, name, cpf, locale FROM app_user WHERE id = $1 AND status = 'active'
