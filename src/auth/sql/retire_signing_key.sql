-- Schedules the active key to stop signing $2 seconds from now, when its successor starts
-- (or when it starts itself, for a successor still waiting from an earlier rotation). Its
-- tokens keep verifying for $1 seconds after that (the access-token lifetime plus clock
-- leeway), then the key leaves the JWKS.
UPDATE signing_key
   SET retired_at = greatest(now() + $2::integer * interval '1 second', activated_at),
       expires_at = greatest(now() + $2::integer * interval '1 second', activated_at)
                    + $1::integer * interval '1 second'
 WHERE activated_at IS NOT NULL AND retired_at IS NULL
RETURNING kid
