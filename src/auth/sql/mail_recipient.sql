-- The account a mail job writes to, as it is now. No row once the account is anonymized.
-- $1 user id.
SELECT email, name, locale, email_verified_at IS NOT NULL AS email_verified,
       to_char(locked_until AT TIME ZONE 'America/Sao_Paulo', 'DD/MM/YYYY HH24:MI') AS locked_until_local,
       coalesce(ceil(extract(epoch FROM locked_until - now()) / 60), 0)::integer AS locked_minutes
  FROM app_user
 WHERE id = $1 AND status <> 'anonymized'
