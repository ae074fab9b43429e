-- Keys whose tokens verify now or soon, newest first: those published and not expired,
-- including a successor that starts signing later. Only the key that signs now (activated
-- and not yet retired at this instant) comes with its sealed private key, base64-encoded.
SELECT kid, algorithm, public_jwk::text AS public_jwk,
       activated_at <= now() AND (retired_at IS NULL OR retired_at > now()) AS active,
       CASE WHEN activated_at <= now() AND (retired_at IS NULL OR retired_at > now())
            THEN encode(private_key_encrypted, 'base64') END AS private_key_sealed
  FROM signing_key
 WHERE activated_at IS NOT NULL AND (expires_at IS NULL OR expires_at > now())
 ORDER BY created_at DESC
