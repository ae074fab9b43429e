-- One order as JSON, with its lines and payments. $1 order id, $2 user id or NULL. A
-- customer gets only their own orders, and NULL skips that check for admins.
SELECT json_build_object(
    'id', o.id, 'number', o.number, 'status', o.status, 'email', o.email, 'customer_name', o.customer_name,
    'subtotal', o.subtotal, 'shipping_total', o.shipping_total, 'discount_total', o.discount_total,
    'total', o.total, 'currency', o.currency, 'shipping_option', o.shipping_option,
    'shipping_address', o.shipping_address, 'tracking_code', o.tracking_code,
    'reservation_expires_at', to_char(o.reservation_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'paid_at', to_char(o.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'shipped_at', to_char(o.shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'delivered_at', to_char(o.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'cancelled_at', to_char(o.cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'created_at', to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'version', o.version,
    'items', (SELECT coalesce(json_agg(json_build_object(
                  'id', i.id, 'variant_id', i.variant_id, 'pendant_option_id', i.pendant_option_id,
                  'name', i.product_name || ' - ' || i.variant_name, 'product_name', i.product_name,
                  'variant_name', i.variant_name, 'sku', i.sku, 'pendant_name', i.pendant_name,
                  'engraving', i.engraving, 'quantity', i.quantity, 'unit_price', i.unit_price + i.pendant_price_delta,
                  'variant_price', i.unit_price, 'pendant_price_delta', i.pendant_price_delta,
                  'line_total', i.line_total) ORDER BY i.id), '[]')
                FROM order_item i WHERE i.order_id = o.id),
    'payments', (SELECT coalesce(json_agg(json_build_object(
                     'id', p.id, 'provider', p.provider, 'method', p.method, 'status', p.status, 'amount', p.amount,
                     'currency', p.currency,
                     'failure_reason', p.failure_reason,
                     'pix', CASE WHEN p.pix_copy_paste IS NULL THEN NULL ELSE json_build_object(
                                'copy_paste', p.pix_copy_paste,
                                'expires_at', to_char(p.pix_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
                     'boleto', CASE WHEN p.boleto_barcode IS NULL THEN NULL ELSE json_build_object(
                                'barcode', p.boleto_barcode, 'digitable_line', p.boleto_digitable_line,
                                'url', p.boleto_url, 'due_date', p.boleto_due_date) END,
                     'created_at', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                     ORDER BY p.created_at), '[]')
                   FROM payment p WHERE p.order_id = o.id)
)::text
  FROM customer_order o
 WHERE o.id = $1 AND ($2::uuid IS NULL OR o.user_id = $2::uuid)
