-- A claimed key: the request hash it was claimed with and the stored response, if any.
-- Expired keys count as absent. $1 scope, $2 key.
SELECT encode(request_hash, 'hex'), response_status, response_body::text
  FROM idempotency_key
 WHERE scope = $1 AND key = $2 AND expires_at > now()
