-- Changes an admin's role and status. $1 admin id, $2 role, $3 status.
UPDATE admin_user SET role = $2, status = $3 WHERE id = $1
