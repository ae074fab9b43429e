-- Locks every owner row, in id order, so that two concurrent changes that each remove an
-- owner see each other and cannot leave the shop without one.
SELECT id FROM admin_user WHERE role = 'owner' ORDER BY id FOR UPDATE
