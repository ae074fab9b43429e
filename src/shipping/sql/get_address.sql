-- One address of a customer. $1 user id, $2 address id.
SELECT id, label, recipient_name, cep, street, number, complement, district, city, uf, phone, is_default
  FROM address
 WHERE user_id = $1 AND id = $2
