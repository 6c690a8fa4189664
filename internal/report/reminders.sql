-- name: report-remind-due
SELECT a.id, (a.trip_end + make_interval(days => $2::int))::date AS due_on,
    CASE WHEN a.trip_end + make_interval(days => $2::int) < $1::date THEN 'after' ELSE 'before' END AS kind
FROM applications a
WHERE a.status = 'approved' AND a.trip_end IS NOT NULL
    AND a.trip_end + make_interval(days => $2::int) <= ($1::date + make_interval(days => $3::int))

    AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.application_id = a.id AND r.status IN ('submitted', 'accepted'))

-- name: report-reminder-insert
INSERT INTO report_reminders (application_id, kind, sent_at)
VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING

-- name: report-notify-host
SELECT coalesce(v.data->>'host_contact_email', '') AS email, a.title,
    coalesce((SELECT u.language FROM users u JOIN organization_members m ON m.user_id = u.id WHERE m.organization_id = a.organization_id LIMIT 1), 'en') AS language
FROM applications a
JOIN application_versions v ON v.application_id = a.id AND v.version = a.version
WHERE a.id = $1
