-- Tells which unique field made a registration conflict. $1 email.
SELECT EXISTS (SELECT 1 FROM app_user WHERE email = $1) AS email_taken
