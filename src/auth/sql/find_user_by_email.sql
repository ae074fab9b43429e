-- The login record of a customer by e-mail (case-insensitive through citext).
SELECT id, password_hash, status = 'active' AND (locked_until IS NULL OR locked_until < now()) AS can_log_in
  FROM app_user
 WHERE email = $1
