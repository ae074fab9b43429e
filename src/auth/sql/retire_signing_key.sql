-- Stops the active key from signing. Its tokens keep verifying for $1 more seconds (the
-- access-token lifetime plus clock leeway), then the key leaves the JWKS.
UPDATE signing_key
   SET retired_at = now(), expires_at = now() + $1::integer * interval '1 second'
 WHERE activated_at IS NOT NULL AND retired_at IS NULL
RETURNING kid
