-- What the order e-mails show. $1 order id.
SELECT o.number, o.email, o.customer_name, o.locale, o.total, o.tracking_code, o.status
  FROM customer_order o
 WHERE o.id = $1
