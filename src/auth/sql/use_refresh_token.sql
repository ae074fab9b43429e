-- Marks a refresh token used and links its successor. $1 token id, $2 successor id.
UPDATE refresh_token SET used_at = now(), replaced_by = $2 WHERE id = $1
