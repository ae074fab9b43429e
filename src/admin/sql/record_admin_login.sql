-- Records a successful admin sign-in. $1 admin id.
UPDATE admin_user SET failed_login_count = 0, last_login_at = now() WHERE id = $1
