-- Creates an order awaiting payment. $1 user id, $2 e-mail, $3 name, $4 CPF, $5 locale,
-- $6 subtotal, $7 shipping total, $8 shipping address (JSON), $9 shipping option,
-- $10 reservation expiry in seconds from now.
INSERT INTO customer_order (user_id, email, customer_name, cpf, locale, subtotal, shipping_total, total,
                            shipping_address, shipping_option, reservation_expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $6::bigint + $7::bigint, $8::jsonb, $9,
        now() + $10::integer * interval '1 second')
RETURNING id, number, to_char(reservation_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
