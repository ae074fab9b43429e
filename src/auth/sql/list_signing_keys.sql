-- Keys whose tokens still verify, newest first. Only the active key (the one that signs
-- new tokens) comes with its sealed private key, base64-encoded.
SELECT kid, algorithm, public_jwk::text AS public_jwk,
       activated_at IS NOT NULL AND retired_at IS NULL AS active,
       CASE WHEN activated_at IS NOT NULL AND retired_at IS NULL
            THEN encode(private_key_encrypted, 'base64') END AS private_key_sealed
  FROM signing_key
 WHERE activated_at IS NOT NULL AND (expires_at IS NULL OR expires_at > now())
 ORDER BY created_at DESC
