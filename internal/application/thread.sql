-- name: application-timeline
SELECT e.at, coalesce(u.name, '') AS actor_name, e.event, e.to_status, e.note
FROM application_events e
LEFT JOIN users u ON u.id = e.actor_id
WHERE e.application_id = $1
ORDER BY e.at, e.id

-- name: application-messages
SELECT m.id, u.name AS author_name, m.from_ipa, m.body, m.created_at, coalesce(m.about, '') AS about
FROM application_messages m
JOIN users u ON u.id = m.author_id
WHERE m.application_id = $1
ORDER BY m.created_at, m.id

-- name: application-insert-message
INSERT INTO application_messages (application_id, author_id, from_ipa, body, created_at)
VALUES ($1, $2, $3, $4, $5)

-- name: application-notify-admins
SELECT email, language
FROM users
WHERE is_admin AND active AND notify_email

-- name: application-notify-members
SELECT u.email, u.language
FROM users u
JOIN organization_members m ON m.user_id = u.id
WHERE m.organization_id = $1 AND u.active AND u.notify_email

-- name: application-versions
SELECT v.version, v.submitted_at, u.name AS submitted_by, v.data
FROM application_versions v
JOIN users u ON u.id = v.submitted_by
WHERE v.application_id = $1
ORDER BY v.version
