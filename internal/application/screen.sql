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
