-- Adds a new EdDSA key that starts signing $4 seconds from now. It is published in the
-- JWKS at once, so every verifier has it before the first token it signs.
-- $1 kid, $2 public JWK, $3 sealed private key (base64), $4 delay in seconds.
INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_encrypted, activated_at)
VALUES ($1, 'EdDSA', $2::jsonb, decode($3, 'base64'), now() + $4::integer * interval '1 second')
