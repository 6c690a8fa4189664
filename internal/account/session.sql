-- name: account-session-delete-idle
DELETE FROM user_sessions
WHERE user_id = $1 AND last_seen_at < $2

-- name: account-session-insert
INSERT INTO user_sessions (sid_hash, user_id, created_at, last_seen_at, ip, user_agent, method)
VALUES ($1, $2, $3, $3, $4, $5, $6)

-- The visit is noted at most once a minute ($3), by one request only: a
-- row another request of the session is noting is skipped, not waited for.
-- Waited for, every request of the session that came meanwhile queued
-- behind that one's commit, its write to the disk.
-- name: account-session-user
WITH touched AS (
    UPDATE user_sessions SET last_seen_at = $2
    WHERE sid_hash IN (SELECT sid_hash FROM user_sessions
        WHERE sid_hash = $1 AND last_seen_at < $3 AND last_seen_at >= $4 FOR UPDATE SKIP LOCKED)
)
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at
FROM user_sessions s
JOIN users u ON u.id = s.user_id
WHERE s.sid_hash = $1 AND u.active AND s.last_seen_at >= $4

-- name: account-session-find
-- The browser's scs session by its token ($1) and, in the same statement,
-- the person its account session signs in: the columns of
-- account-session-user, each coalesced so that a session of nobody (or one
-- ended elsewhere, or idle, or of a deactivated person) scans with
-- signed_in false. Its visit is noted as account-session-user notes it.
WITH b AS (
    SELECT data, sid_hash FROM sessions WHERE token = $1 AND current_timestamp < expiry
), touched AS (
    UPDATE user_sessions SET last_seen_at = $2
    WHERE sid_hash IN (SELECT sid_hash FROM user_sessions
        WHERE sid_hash = (SELECT sid_hash FROM b) AND last_seen_at < $3 AND last_seen_at >= $4 FOR UPDATE SKIP LOCKED)
)
SELECT b.data, u.id IS NOT NULL AS signed_in,
    coalesce(u.id, 0) AS id, coalesce(u.email, '') AS email, coalesce(u.name, '') AS name,
    coalesce(u.is_admin, FALSE) AS is_admin, coalesce(u.is_board, FALSE) AS is_board,
    coalesce(u.active, FALSE) AS active, u.email_confirmed_at,
    coalesce(u.language, '') AS language, coalesce(u.notify_email, FALSE) AS notify_email,
    coalesce(u.notify_digest, FALSE) AS notify_digest, coalesce(u.time_zone, '') AS time_zone,
    u.totp_enabled_at, coalesce(u.id IS NOT NULL AND u.password_hash IS NULL, FALSE) AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    coalesce(u.created_at, 'epoch') AS created_at, coalesce(u.updated_at, 'epoch') AS updated_at
FROM b
LEFT JOIN user_sessions s ON s.sid_hash = b.sid_hash AND s.last_seen_at >= $4
LEFT JOIN users u ON u.id = s.user_id AND u.active

-- name: account-session-commit
-- scs's commit (postgresstore's statement) with the hash of the account
-- session the data holds ($4; NULL when none).
INSERT INTO sessions (token, data, expiry, sid_hash) VALUES ($1, $2, $3, $4)
ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, sid_hash = EXCLUDED.sid_hash

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
