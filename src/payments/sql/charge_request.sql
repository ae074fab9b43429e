-- The data of a charge requested again later: a payment still pending and without a
-- charge at the provider, with its order. For a boleto, the end of its due date is the order's
-- hold minus the settlement margin. $1 payment id, $2 boleto settlement margin in seconds.
SELECT p.method, p.amount, o.number, o.email, o.customer_name, o.cpf,
       extract(epoch FROM CASE WHEN p.method = 'boleto'
                               THEN o.reservation_expires_at - $2::integer * interval '1 second'
                               ELSE o.reservation_expires_at END)::bigint AS expires_epoch,
       to_char(((o.reservation_expires_at - $2::integer * interval '1 second') AT TIME ZONE 'America/Sao_Paulo')
               - interval '1 second', 'YYYY-MM-DD') AS boleto_due_date
  FROM payment p
  JOIN customer_order o ON o.id = p.order_id
 WHERE p.id = $1 AND p.status = 'pending' AND p.provider_payment_id IS NULL AND o.status = 'pending_payment'
