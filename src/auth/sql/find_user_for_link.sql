-- The account a social login may link to, locked against a concurrent change. $1 e-mail.
SELECT id, status = 'active' AS active, email_verified_at IS NOT NULL AS email_verified,
       password_hash IS NOT NULL AS has_password
  FROM app_user
 WHERE email = $1
   FOR UPDATE
