-- One page of the audit log, newest first. $1 action, $2 entity type, $3 entity id,
-- $4 actor admin id (each NULL when not filtered), $5 $6 the keyset cursor (created_at in
-- Unix microseconds and id), $7 the page size.
SELECT l.id, l.actor_type, l.actor_admin_id, l.actor_user_id, l.action, l.entity_type, l.entity_id,
       l.before::text AS before, l.after::text AS after, host(l.ip) AS ip, l.request_id,
       to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
       (extract(epoch FROM l.created_at) * 1000000)::bigint AS created_us
  FROM audit_log l
 WHERE ($1::text IS NULL OR l.action = $1)
   AND ($2::text IS NULL OR l.entity_type = $2)
   AND ($3::text IS NULL OR l.entity_id = $3)
   AND ($4::uuid IS NULL OR l.actor_admin_id = $4)
   AND (l.created_at, l.id) < (timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6::uuid)
 ORDER BY l.created_at DESC, l.id DESC
 LIMIT $7
