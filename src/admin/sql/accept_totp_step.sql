-- Records a login whose TOTP code was for time step $2, only when that step is newer than
-- the last one used, so a code cannot be replayed. $1 admin id, $2 step.
UPDATE admin_user
   SET totp_last_step = $2, last_login_at = now(), failed_login_count = 0
 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
RETURNING id
