-- The assignment of reviewers (service.go): the rounds' settings, who is
-- assigned, how many reviews each board member has open.

-- name: assign-settings
SELECT id, name, name_es, reviewers_per_application, review_deadline, review_reminder_days, scores_from
FROM funding_rounds
WHERE id = $1

-- name: assign-settings-update
UPDATE funding_rounds
SET reviewers_per_application = $2, review_deadline = $3, review_reminder_days = $4, scores_from = $5, updated_at = $6
WHERE id = $1

-- name: assign-round-applications
-- The round's applications reviewers may be assigned to, oldest submission first.
SELECT a.id, a.organization_id, a.title, o.legal_name AS organization_name
FROM applications a
JOIN organizations o ON o.id = a.organization_id
WHERE a.round_id = $1 AND a.status IN ('submitted', 'more_info_requested', 'in_review', 'voting')
ORDER BY a.submitted_at, a.id

-- name: assign-application
SELECT a.id, a.organization_id, a.title, o.legal_name AS organization_name, a.round_id
FROM applications a
JOIN organizations o ON o.id = a.organization_id
WHERE a.id = $1

-- name: assign-members
-- Every active board member with the reviews they have open: assigned on an
-- application still before the board (or on its way), not yet reviewed.
SELECT u.id, u.name,
    (SELECT count(*) FROM assignments s JOIN applications a ON a.id = s.application_id
     WHERE s.user_id = u.id AND a.status IN ('submitted', 'more_info_requested', 'in_review', 'voting')
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.application_id = s.application_id AND r.user_id = u.id)) AS open
FROM users u
WHERE u.is_board AND u.active
ORDER BY u.name, u.id

-- name: assign-reviewers
-- Who is assigned to application $1, and whether each has reviewed it.
SELECT s.user_id, u.name, s.assigned_at,
    EXISTS (SELECT 1 FROM reviews r WHERE r.application_id = s.application_id AND r.user_id = s.user_id) AS reviewed
FROM assignments s
JOIN users u ON u.id = s.user_id
WHERE s.application_id = $1
ORDER BY u.name, u.id

-- name: assign-insert
INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (application_id, user_id) DO NOTHING

-- name: assign-delete
DELETE FROM assignments
WHERE application_id = $1 AND user_id = $2

-- name: assign-remind-due
-- The assignments whose reviewer has not reviewed and whose round's review
-- deadline is $2 days or fewer away (on day $1), not yet reminded.
SELECT s.application_id, s.user_id
FROM assignments s
JOIN applications a ON a.id = s.application_id
JOIN funding_rounds fr ON fr.id = a.round_id
WHERE s.reminded_at IS NULL AND a.status IN ('in_review', 'voting')
    AND fr.review_deadline IS NOT NULL AND $1::date BETWEEN fr.review_deadline - fr.review_reminder_days AND fr.review_deadline
    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.application_id = s.application_id AND r.user_id = s.user_id)
ORDER BY s.application_id, s.user_id

-- name: assign-reminded-update
-- Marks one assignment reminded, once: the update is the check, so two
-- processes never both send.
UPDATE assignments s
SET reminded_at = $3
FROM applications a, funding_rounds fr, users u
WHERE s.application_id = $1 AND s.user_id = $2 AND s.reminded_at IS NULL
    AND a.id = s.application_id AND fr.id = a.round_id AND u.id = s.user_id
RETURNING a.title, fr.review_deadline, u.id, u.email, u.language, u.notify_digest, u.notify_email AND u.active AS mailed
