-- A customer's own profile. $1 user id.
SELECT id, email, name, phone, cpf, email_verified_at IS NOT NULL AS email_verified, locale,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
  FROM app_user
 WHERE id = $1 AND status <> 'anonymized'
