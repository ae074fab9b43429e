-- Adds an address. $1 user id, $2 label, $3 recipient, $4 CEP, $5 street, $6 number,
-- $7 complement, $8 district, $9 city, $10 UF, $11 phone, $12 default.
INSERT INTO address (user_id, label, recipient_name, cep, street, number, complement, district, city, uf, phone,
                     is_default)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id
