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

-- name: application-history
-- The application's history ($1), oldest first, in one statement: what
-- happened to it, every version sent (with its form) and its thread with
-- the IPA, each a JSON array. Its page shows all three; as three
-- statements they cost it more than the rows they read.
SELECT
    (SELECT coalesce(json_agg(json_build_object('at', e.at, 'actor_name', coalesce(u.name, ''), 'event', e.event,
            'to_status', e.to_status, 'note', e.note) ORDER BY e.at, e.id), '[]')
        FROM application_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.application_id = $1) AS timeline,
    (SELECT coalesce(json_agg(json_build_object('version', v.version, 'submitted_at', v.submitted_at,
            'submitted_by', u.name, 'data', v.data) ORDER BY v.version), '[]')
        FROM application_versions v JOIN users u ON u.id = v.submitted_by
        WHERE v.application_id = $1) AS versions,
    (SELECT coalesce(json_agg(json_build_object('id', m.id, 'author_name', u.name, 'from_ipa', m.from_ipa, 'body', m.body,
            'created_at', m.created_at, 'about', coalesce(m.about, '')) ORDER BY m.created_at, m.id), '[]')
        FROM application_messages m JOIN users u ON u.id = m.author_id
        WHERE m.application_id = $1) AS messages
