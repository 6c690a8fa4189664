-- name: account-invite
UPDATE users
SET name = $2, language = $3, is_admin = $4, is_board = $5, active = TRUE, updated_at = $6
WHERE id = $1

-- name: account-accept-invitation
UPDATE users
SET name = $2
WHERE id = $1
