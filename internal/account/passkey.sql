-- name: account-passkeys-of-user
SELECT id, user_id, name, credential_id, public_key, attestation_type, attestation_format,
    attestation, extensions, transports, aaguid, attachment, sign_count, clone_warning, flags
FROM passkeys
WHERE user_id = $1 AND rp_id = $2
ORDER BY id

-- name: account-passkey-set-handle
UPDATE users
SET webauthn_handle = $2
WHERE id = $1 AND webauthn_handle IS NULL

-- name: account-ceremony-delete-expired
DELETE FROM webauthn_ceremonies
WHERE expires_at <= $1::timestamptz - interval '1 hour'

-- name: account-ceremony-insert
INSERT INTO webauthn_ceremonies (token_hash, kind, user_id, session_data, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)

-- name: account-ceremony-take
DELETE FROM webauthn_ceremonies
WHERE token_hash = $1 AND kind = $2
RETURNING user_id, session_data, expires_at

-- name: account-passkey-insert
INSERT INTO passkeys (user_id, rp_id, credential_id, name, public_key, attestation_type, attestation_format,
    attestation, extensions, transports, aaguid, attachment, sign_count, flags,
    user_verified, backup_eligible, backup_state, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
ON CONFLICT (rp_id, credential_id) DO NOTHING
RETURNING id

-- name: account-passkey-owner
SELECT u.id
FROM users u
JOIN passkeys p ON p.user_id = u.id
WHERE u.webauthn_handle = $1 AND p.credential_id = $2 AND p.rp_id = $3

-- name: account-passkey-clone-warning
UPDATE passkeys
SET clone_warning = true
WHERE id = $1

-- name: account-passkey-used
UPDATE passkeys
SET sign_count = $2, flags = $3, user_verified = $4, backup_state = $5, last_used_at = $6
WHERE id = $1

-- name: account-passkey-list
SELECT id, name, created_at, last_used_at, backup_state, array_to_string(transports, ', ') AS transports, user_verified
FROM passkeys
WHERE user_id = $1
ORDER BY created_at DESC, id DESC

-- name: account-passkey-name
SELECT name
FROM passkeys
WHERE id = $1 AND user_id = $2
FOR UPDATE

-- name: account-passkey-delete
DELETE FROM passkeys
WHERE id = $1 AND user_id = $2

-- name: account-passkeys-delete-all
DELETE FROM passkeys
WHERE user_id = $1
