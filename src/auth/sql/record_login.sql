-- Records a successful login. $1 user id.
UPDATE app_user SET last_login_at = now(), failed_login_count = 0 WHERE id = $1
