-- Locks an admin row for a change, and counts the other active owners, so that the shop
-- never loses its last owner. $1 admin id.
SELECT id, email, name, role, status,
       (SELECT count(*) FROM admin_user o WHERE o.role = 'owner' AND o.status = 'active' AND o.id <> $1) AS other_owners
  FROM admin_user
 WHERE id = $1
   FOR UPDATE
