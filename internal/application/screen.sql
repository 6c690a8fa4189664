-- name: application-screening-insert
INSERT INTO screenings (application_id, version, checks, outcome, screened_by, screened_at)
VALUES ($1, $2, $3, $4, $5, $6)

-- name: application-screen-update
UPDATE applications
SET decline_reason = $2
WHERE id = $1

-- name: application-declined-recipients
SELECT u.email, u.name, u.language
FROM users u
JOIN organization_members m ON m.user_id = u.id
WHERE m.organization_id = $1 AND u.active AND u.notify_email

-- name: application-board-recipients
SELECT u.id, u.email, u.language, u.notify_digest
FROM users u
WHERE u.is_board AND u.active AND u.notify_email
    AND NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = $1 AND m.user_id = u.id)
