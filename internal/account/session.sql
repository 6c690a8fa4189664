-- name: account-session-delete-idle
DELETE FROM user_sessions
WHERE user_id = $1 AND last_seen_at < $2

-- name: account-session-insert
INSERT INTO user_sessions (sid_hash, user_id, created_at, last_seen_at, ip, user_agent, method)
VALUES ($1, $2, $3, $3, $4, $5, $6)

-- name: account-session-user
WITH touched AS (
    UPDATE user_sessions SET last_seen_at = $2
    WHERE sid_hash = $1 AND last_seen_at < $3 AND last_seen_at >= $4
)
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at
FROM user_sessions s
JOIN users u ON u.id = s.user_id
WHERE s.sid_hash = $1 AND u.active AND s.last_seen_at >= $4

-- name: account-list-sessions
SELECT id, created_at, last_seen_at, ip, user_agent, method, sid_hash = $2 AS current
FROM user_sessions
WHERE user_id = $1 AND last_seen_at >= $3
ORDER BY last_seen_at DESC, id DESC

-- name: account-revoke-session
DELETE FROM user_sessions
WHERE id = $1 AND user_id = $2

-- name: account-logout
DELETE FROM user_sessions
WHERE sid_hash = $1
RETURNING user_id

-- name: account-delete-sessions
DELETE FROM user_sessions
WHERE user_id = $1 AND sid_hash <> $2
