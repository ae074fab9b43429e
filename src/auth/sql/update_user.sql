-- Changes the profile fields a customer may edit; NULL keeps a field as it is.
-- $1 user id, $2 name, $3 phone, $4 locale.
UPDATE app_user
   SET name = coalesce($2, name), phone = coalesce($3, phone), locale = coalesce($4, locale)
 WHERE id = $1 AND status <> 'anonymized'
RETURNING id
