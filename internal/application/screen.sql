-- name: application-screening-insert
INSERT INTO screenings (application_id, version, checks, outcome, screened_by, screened_at)
VALUES ($1, $2, $3, $4, $5, $6)

-- name: application-screen-update
UPDATE applications
SET decline_reason = $2
WHERE id = $1
