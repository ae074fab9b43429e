-- Replaces the fields of an address. Parameters as in insert_address.sql plus $13 address id.
UPDATE address
   SET label = $2, recipient_name = $3, cep = $4, street = $5, number = $6, complement = $7, district = $8,
       city = $9, uf = $10, phone = $11, is_default = $12
 WHERE user_id = $1 AND id = $13
