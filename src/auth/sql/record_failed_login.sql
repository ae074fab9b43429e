-- Counts a wrong password for an account. At the threshold the account locks for a while
-- and the count starts again; failures during a lock do not count. Returns whether this
-- failure started a lock (no row while the account is locked).
-- $1 user id, $2 threshold, $3 lock duration in seconds.
WITH before AS (
    SELECT failed_login_count FROM app_user WHERE id = $1 FOR UPDATE
)
UPDATE app_user AS u
   SET failed_login_count = CASE WHEN before.failed_login_count + 1 >= $2 THEN 0 ELSE before.failed_login_count + 1 END,
       locked_until = CASE WHEN before.failed_login_count + 1 >= $2
                           THEN now() + $3::integer * interval '1 second'
                           ELSE u.locked_until END
  FROM before
 WHERE u.id = $1 AND (u.locked_until IS NULL OR u.locked_until <= now())
RETURNING before.failed_login_count + 1 >= $2 AS locked_now
