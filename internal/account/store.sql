-- name: account-get-user
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at
FROM users u
WHERE u.id = $1

-- name: account-lock-user
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at, u.password_hash, u.totp_secret, u.totp_last_step, u.webauthn_handle
FROM users u
WHERE u.id = $1
FOR UPDATE

-- name: account-lock-user-by-email
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at, u.password_hash, u.totp_secret, u.totp_last_step, u.webauthn_handle
FROM users u
WHERE lower(u.email) = lower($1)
FOR UPDATE

-- name: account-list-users
SELECT u.id, u.email, u.name, u.is_admin, u.is_board, u.active, u.email_confirmed_at,
    u.language, u.notify_email, u.notify_digest, u.time_zone, u.totp_enabled_at,
    u.password_hash IS NULL AS invitation_pending,
    (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
    u.created_at, u.updated_at
FROM users u
WHERE $1 = '' OR strpos(lower(unaccent(u.name)), lower(unaccent($1))) > 0 OR strpos(lower(u.email), lower($1)) > 0
ORDER BY lower(u.name), u.id
LIMIT $2
OFFSET $3

-- name: account-insert-user
INSERT INTO users (email, name, language, password_hash, is_admin, is_board, email_confirmed_at,
        totp_secret, totp_enabled_at, created_at, updated_at)
VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, NULLIF($8, ''), $9, $10, $10)
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING id

-- name: account-set-password
UPDATE users
SET password_hash = $2, email_confirmed_at = coalesce(email_confirmed_at, $3), updated_at = $3
WHERE id = $1

-- name: account-confirm-email
UPDATE users
SET email_confirmed_at = coalesce(email_confirmed_at, $2), updated_at = $2
WHERE id = $1

-- name: account-set-email
UPDATE users
SET email = $2, email_confirmed_at = $3, updated_at = $3
WHERE id = $1

-- name: account-set-profile
UPDATE users
SET name = $2, language = $3, notify_email = $4, notify_digest = $5, time_zone = $6, updated_at = $7
WHERE id = $1

-- name: account-set-roles
UPDATE users
SET is_admin = $2, is_board = $3, updated_at = $4
WHERE id = $1

-- name: account-set-active
UPDATE users
SET active = $2, updated_at = $3
WHERE id = $1

-- name: account-lock-active-admins
SELECT id
FROM users
WHERE is_admin AND active
ORDER BY id
FOR UPDATE
