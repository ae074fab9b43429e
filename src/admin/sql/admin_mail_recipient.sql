-- The admin a lock notice goes to, while the lock lasts. $1 admin id.
SELECT email, name,
       to_char(locked_until AT TIME ZONE 'America/Sao_Paulo', 'DD/MM/YYYY HH24:MI') AS locked_until_local,
       coalesce(ceil(extract(epoch FROM locked_until - now()) / 60), 0)::integer AS locked_minutes
  FROM admin_user
 WHERE id = $1 AND locked_until > now()
