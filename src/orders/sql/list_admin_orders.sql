-- Orders for the admin panel, newest first, with optional filters, one page after a
-- (created_at, id) cursor. $1 status or NULL, $2 created from or NULL, $3 created before
-- or NULL, $4 order number or customer e-mail or NULL, $5 cursor time, $6 cursor id,
-- $7 page size + 1.
SELECT o.id, o.number, o.status, o.email, o.customer_name, o.total, o.currency, o.shipping_option,
       o.tracking_code, o.version,
       to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
  FROM customer_order o
 WHERE ($1::text IS NULL OR o.status = $1)
   AND ($2::timestamptz IS NULL OR o.created_at >= $2::timestamptz)
   AND ($3::timestamptz IS NULL OR o.created_at < $3::timestamptz)
   AND ($4::text IS NULL OR o.number = upper($4) OR o.email = $4::citext)
   AND ($5::timestamptz IS NULL OR (o.created_at, o.id) < ($5::timestamptz, $6::uuid))
 ORDER BY o.created_at DESC, o.id DESC
 LIMIT $7
