-- Adds a new active EdDSA key. $1 kid, $2 public JWK, $3 sealed private key (base64).
INSERT INTO signing_key (kid, algorithm, public_jwk, private_key_encrypted, activated_at)
VALUES ($1, 'EdDSA', $2::jsonb, decode($3, 'base64'), now())
