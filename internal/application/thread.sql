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

-- name: application-show
-- Application $1 as its page shows it, if reader $3 may see it (the IPA,
-- $2, sees every one; a charity's member, their charity's), in one
-- statement: its row, and its history oldest first: what happened to it,
-- every version sent (with its form) and its thread with the IPA, each a
-- JSON array; and when $4 (for the IPA), the charity's other applications
-- sent, newest first, with their awards: the track record the board weighs.
-- Six of them: the page lists five and, when there is a sixth, links to the
-- rest (application.OthersShown). Fifty cost half the statement.
-- With them, what the rules need to know of the reader at $5
-- (application_facts, as policy.Load reads it), and whether it was ever
-- put to a vote: until it is, the page does not ask for one.
-- As six statements they cost its page more than the rows they read. The
-- flags are read as (SELECT $n), so that one plan serves every reader
-- (docs/architecture.md).
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due, f.*,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id) AS has_vote,
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
    CASE WHEN (SELECT $4::boolean) THEN (SELECT coalesce(json_agg(json_build_object('id', p.id, 'status', p.status, 'title', p.title,
            'submitted_at', p.submitted_at, 'awarded_cents', coalesce(w.amount_cents, 0), 'paid_cents', coalesce(w.paid_cents, 0))
            ORDER BY p.submitted_at DESC, p.id DESC), '[]')
        FROM (SELECT x.id, x.status, x.title, x.submitted_at
              FROM applications x
              WHERE x.organization_id = a.organization_id AND x.id <> a.id AND x.version > 0
              ORDER BY x.submitted_at DESC, x.id DESC LIMIT 6) p
        LEFT JOIN awards w ON w.application_id = p.id) END AS others
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, $3, $5) f
WHERE a.id = $1 AND ((SELECT $2::boolean) OR f.member)
