-- Counts a wrong password for an account. At the threshold the account locks for a while
-- and the count starts again. $1 user id, $2 threshold, $3 lock duration in seconds.
UPDATE app_user
   SET failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
       locked_until = CASE WHEN failed_login_count + 1 >= $2
                           THEN now() + $3::integer * interval '1 second'
                           ELSE locked_until END
 WHERE id = $1
RETURNING coalesce(locked_until > now(), false) AS locked
