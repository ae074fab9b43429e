-- Records a social login on a linked identity, with the e-mail the provider reports now.
-- $1 provider, $2 subject, $3 e-mail or null, $4 whether the provider verified it.
UPDATE oauth_identity
   SET email = $3, email_verified = $4, last_login_at = now()
 WHERE provider = $1 AND subject = $2
