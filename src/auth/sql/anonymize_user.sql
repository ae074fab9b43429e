-- Erases a customer's personal data for the LGPD right of deletion while keeping orders,
-- which the shop must retain for its fiscal records. Ends every session and removes
-- addresses, favorites, reviews, social logins, e-mail tokens and carts. $1 user id.
WITH revoked AS (
    UPDATE auth_session SET revoked_at = now(), revoke_reason = 'account_anonymized'
     WHERE user_id = $1 AND revoked_at IS NULL
), addresses AS (
    DELETE FROM address WHERE user_id = $1
), favorites AS (
    DELETE FROM favorite WHERE user_id = $1
), reviews AS (
    DELETE FROM review WHERE user_id = $1
), identities AS (
    DELETE FROM oauth_identity WHERE user_id = $1
), tokens AS (
    DELETE FROM email_token WHERE user_id = $1
), carts AS (
    DELETE FROM cart WHERE user_id = $1
)
UPDATE app_user
   SET email = 'anonimizado-' || id || '@anonimizado.invalid', password_hash = NULL, name = '',
       phone = NULL, cpf = NULL, email_verified_at = NULL, status = 'anonymized',
       anonymized_at = now(), failed_login_count = 0, locked_until = NULL, last_login_at = NULL
 WHERE id = $1 AND status <> 'anonymized'
RETURNING id
