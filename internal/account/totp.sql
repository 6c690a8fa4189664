-- name: account-begin-enrolment
UPDATE users
SET totp_secret = $2, updated_at = $3
WHERE id = $1

-- name: account-confirm-enrolment
UPDATE users
SET totp_enabled_at = $2, updated_at = $2
WHERE id = $1

-- name: account-check-totp
UPDATE users
SET totp_last_step = $2
WHERE id = $1

-- name: account-clear-totp
UPDATE users
SET totp_secret = NULL, totp_enabled_at = NULL, updated_at = $2
WHERE id = $1

-- name: account-clear-recovery-codes
DELETE FROM recovery_codes
WHERE user_id = $1

-- name: account-recovery-codes-delete
DELETE FROM recovery_codes
WHERE user_id = $1

-- name: account-recovery-code-insert
INSERT INTO recovery_codes (user_id, code_hash, created_at)
VALUES ($1, $2, $3)

-- name: account-use-recovery-code
UPDATE recovery_codes
SET used_at = $3
WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL

-- name: account-recovery-codes-left
SELECT count(*)
FROM recovery_codes
WHERE user_id = $1 AND used_at IS NULL
