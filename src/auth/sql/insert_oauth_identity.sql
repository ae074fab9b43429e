-- Links a provider's subject to an account. Returns no row when the subject is already
-- linked. $1 user id, $2 provider, $3 issuer, $4 subject, $5 e-mail, $6 e-mail verified.
INSERT INTO oauth_identity (user_id, provider, issuer, subject, email, email_verified, last_login_at)
VALUES ($1, $2, $3, $4, $5, $6, now())
ON CONFLICT (provider, subject) DO NOTHING
RETURNING id
