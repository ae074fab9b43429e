-- Everything the shop stores about one customer, as one JSON document for the LGPD right of
-- access. $1 user id.
SELECT json_build_object(
    'user', (SELECT json_build_object(
                 'id', u.id, 'email', u.email, 'name', u.name, 'phone', u.phone, 'cpf', u.cpf,
                 'email_verified', u.email_verified_at IS NOT NULL, 'locale', u.locale,
                 'created_at', u.created_at, 'last_login_at', u.last_login_at)
               FROM app_user u WHERE u.id = $1),
    'addresses', coalesce((SELECT json_agg(to_jsonb(a) - 'user_id' ORDER BY a.created_at)
                             FROM address a WHERE a.user_id = $1), '[]'),
    'sessions', coalesce((SELECT json_agg(json_build_object(
                                 'created_at', s.created_at, 'last_used_at', s.last_used_at,
                                 'user_agent', s.user_agent, 'ip', host(s.ip),
                                 'revoked_at', s.revoked_at, 'revoke_reason', s.revoke_reason)
                                 ORDER BY s.created_at)
                            FROM auth_session s WHERE s.user_id = $1), '[]'),
    'social_logins', coalesce((SELECT json_agg(json_build_object(
                                      'provider', o.provider, 'email', o.email, 'created_at', o.created_at))
                                 FROM oauth_identity o WHERE o.user_id = $1), '[]'),
    'orders', coalesce((SELECT json_agg(json_build_object(
                               'number', co.number, 'status', co.status, 'total', co.total,
                               'currency', co.currency, 'shipping_address', co.shipping_address,
                               'created_at', co.created_at) ORDER BY co.created_at)
                          FROM customer_order co WHERE co.user_id = $1), '[]'),
    'favorites', coalesce((SELECT json_agg(json_build_object('product_id', f.product_id, 'created_at', f.created_at))
                             FROM favorite f WHERE f.user_id = $1), '[]'),
    'reviews', coalesce((SELECT json_agg(json_build_object(
                                'product_id', r.product_id, 'rating', r.rating, 'title', r.title,
                                'body', r.body, 'status', r.status, 'created_at', r.created_at))
                           FROM review r WHERE r.user_id = $1), '[]')
)::text AS document
