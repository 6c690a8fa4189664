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
-- the IPA, each a JSON array; and when $2 (for the IPA), the charity's
-- other applications sent, newest first, with their awards: the track
-- record the board weighs. Its page shows all four; as four statements
-- they cost it more than the rows they read. $2 is read as (SELECT $2),
-- so that one plan serves the IPA and the charity (docs/architecture.md).
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
        WHERE m.application_id = $1) AS messages,
    CASE WHEN (SELECT $2::boolean) THEN (SELECT coalesce(json_agg(json_build_object('id', o.id, 'status', o.status, 'title', o.title,
            'submitted_at', o.submitted_at, 'awarded_cents', coalesce(w.amount_cents, 0), 'paid_cents', coalesce(w.paid_cents, 0))
            ORDER BY o.submitted_at DESC, o.id DESC), '[]')
        FROM (SELECT b.id, b.status, b.title, b.submitted_at
              FROM applications a JOIN applications b ON b.organization_id = a.organization_id
              WHERE a.id = $1 AND b.id <> a.id AND b.version > 0
              ORDER BY b.submitted_at DESC, b.id DESC LIMIT 50) o
        LEFT JOIN awards w ON w.application_id = o.id) END AS others
