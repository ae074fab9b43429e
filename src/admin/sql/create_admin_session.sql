-- Opens an admin session. $1 admin id, $2 lifetime in seconds, $3 user agent, $4 IP.
INSERT INTO auth_session (admin_user_id, audience, idle_expires_at, absolute_expires_at, user_agent, ip)
VALUES ($1, 'admin', now() + $2::integer * interval '1 second', now() + $2::integer * interval '1 second',
        $3, $4::inet)
RETURNING id
