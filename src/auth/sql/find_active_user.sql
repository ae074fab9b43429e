-- An active account by e-mail, for a password-reset request. $1 e-mail.
SELECT id FROM app_user WHERE email = $1 AND status = 'active'
