-- name: account-issue-token
INSERT INTO user_tokens (user_id, purpose, token_hash, data, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)

-- name: account-consume-token
UPDATE user_tokens
SET used_at = $3
WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
RETURNING user_id, data

-- name: account-retire-tokens
UPDATE user_tokens
SET used_at = $2
WHERE user_id = $1 AND used_at IS NULL AND (cardinality($3::text[]) = 0 OR purpose = ANY($3))

-- name: account-token-user
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    u.created_at, u.updated_at
FROM user_tokens t
JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND u.active
