-- name: report-get
SELECT a.id AS application_id, coalesce(r.status, 'draft') AS status,
    coalesce(r.data, '{}') AS data,
    coalesce(a.trip_end + make_interval(days => $4::int), a.created_at)::date AS due_on,
    r.submitted_at, r.accepted_at,
    r.reviewed_at, coalesce(v.name, '') AS reviewer_name, coalesce(r.review_note, '') AS review_note
FROM applications a
LEFT JOIN reports r ON r.application_id = a.id
LEFT JOIN users v ON v.id = r.reviewed_by
WHERE a.id = $3
    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1))

-- name: report-save
INSERT INTO reports (application_id, data, created_at, updated_at)
VALUES ($1, $2, $3, $3)
ON CONFLICT (application_id) DO UPDATE SET data = $2, updated_at = $3
WHERE reports.status IN ('draft', 'corrections_requested')

-- name: report-submit-report
SELECT status, data
FROM reports
WHERE application_id = $1
FOR UPDATE

-- name: report-submit-application
SELECT coalesce(trip_end <= $2::date, TRUE)
FROM applications
WHERE id = $1

-- name: report-submit-update
UPDATE reports
SET status = 'submitted', patients = $2, pediatric = $3, open_heart = $4, bypass = $5,
    interventional = $6, deaths = $7, submitted_at = $8, updated_at = $8
WHERE application_id = $1

-- name: report-review-update
UPDATE reports
SET status = $2, accepted_at = CASE WHEN $3 THEN $4::timestamptz END,
    accepted_by = CASE WHEN $3 THEN $5::bigint END, reviewed_at = $4, reviewed_by = $5,
    review_note = $6, updated_at = $4
WHERE application_id = $1 AND status = 'submitted'

-- name: report-review-message-insert
INSERT INTO application_messages (application_id, author_id, from_ipa, body, created_at, about)
VALUES ($1, $2, TRUE, $3, $4, 'report_corrections')

-- name: report-accepted
SELECT EXISTS (SELECT 1 FROM reports WHERE application_id = $1 AND status = 'accepted')

-- name: report-awaiting-review
SELECT application_id AS id, count(*) OVER () AS total
FROM reports
WHERE status = 'submitted'
ORDER BY submitted_at, application_id
LIMIT $1

-- name: report-notify-members
SELECT u.email, u.language, a.title
FROM users u
JOIN organization_members m ON m.user_id = u.id
JOIN applications a ON a.organization_id = m.organization_id
WHERE a.id = $1 AND u.active

-- A funded trip's report is late on a day when the trip ended more than the
-- due days before it and the report is neither submitted nor accepted
-- (report_in, kept by a trigger on reports: migrations/00016_report_due.sql);
-- written so that applications_report_owed_idx finds them. report.go's
-- overdue() writes the same rule into Overdue, whose day and limit are part
-- of its text.

-- name: report-overdue-for-organization
SELECT EXISTS (
    SELECT 1
    FROM applications a
    WHERE a.organization_id = $1
        AND a.status = 'approved' AND NOT a.report_in AND a.trip_end < $2::date - $3::int
)

-- name: report-notify-admins-application
SELECT a.title, o.legal_name, o.id AS organization_id
FROM applications a
JOIN organizations o ON o.id = a.organization_id
WHERE a.id = $1

-- name: report-notify-admins-recipients
SELECT u.email, u.language
FROM users u
WHERE u.is_admin AND u.active AND u.notify_email
    AND NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = $1 AND m.user_id = u.id)
