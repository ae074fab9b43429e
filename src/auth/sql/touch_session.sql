-- Extends a session's idle lifetime on refresh, never past its absolute end.
-- $1 session id, $2 idle lifetime in seconds.
UPDATE auth_session
   SET last_used_at = now(),
       idle_expires_at = least(now() + $2::integer * interval '1 second', absolute_expires_at)
 WHERE id = $1
