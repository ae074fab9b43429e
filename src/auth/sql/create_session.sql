-- Opens a login session (one refresh-token family). $1 user id, $2 idle lifetime and
-- $3 absolute lifetime in seconds, $4 user agent, $5 client IP.
INSERT INTO auth_session (user_id, audience, idle_expires_at, absolute_expires_at, user_agent, ip)
VALUES ($1, 'customer', now() + $2::integer * interval '1 second', now() + $3::integer * interval '1 second',
        $4, $5::inet)
RETURNING id
