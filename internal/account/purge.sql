-- name: account-purge-tokens
DELETE FROM user_tokens
WHERE coalesce(used_at, expires_at) < $1

-- name: account-purge-sessions
DELETE FROM user_sessions
WHERE last_seen_at < $1
