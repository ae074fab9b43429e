-- Counts a failed admin sign-in (wrong password or TOTP code). At the threshold the admin
-- is locked for a while and the count starts again; failures during a lock do not count.
-- Returns whether this failure started a lock. $1 admin id, $2 threshold, $3 seconds.
WITH before AS (
    SELECT failed_login_count FROM admin_user WHERE id = $1 FOR UPDATE
)
UPDATE admin_user AS a
   SET failed_login_count = CASE WHEN before.failed_login_count + 1 >= $2 THEN 0 ELSE before.failed_login_count + 1 END,
       locked_until = CASE WHEN before.failed_login_count + 1 >= $2
                           THEN now() + $3::integer * interval '1 second'
                           ELSE a.locked_until END
  FROM before
 WHERE a.id = $1 AND (a.locked_until IS NULL OR a.locked_until <= now())
RETURNING before.failed_login_count + 1 >= $2 AS locked_now
