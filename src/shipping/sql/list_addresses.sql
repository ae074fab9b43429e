-- A customer's address book, default first, then oldest first. $1 user id.
SELECT id, label, recipient_name, cep, street, number, complement, district, city, uf, phone, is_default
  FROM address
 WHERE user_id = $1
 ORDER BY is_default DESC, created_at, id
