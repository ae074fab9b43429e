-- The account linked to a provider's subject. $1 provider, $2 subject.
SELECT i.user_id, i.issuer, u.status = 'active' AS active
  FROM oauth_identity i
  JOIN app_user u ON u.id = i.user_id
 WHERE i.provider = $1 AND i.subject = $2
