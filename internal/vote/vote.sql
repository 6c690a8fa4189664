-- An eligible voter in the vote on application $1 is a user u who is an
-- active board member, declared no conflict on it and is not a member of
-- the charity that applied (policy.CastBallot refuses them: ErrOwnCharity).
-- vote-count-eligible, vote-count-ballots, vote-notify-board-recipients and
-- vote-not-voted-recipients each write the rule out.

-- name: vote-open-vote
INSERT INTO votes (application_id, proposed_cents, conditions, opened_by, opened_at, closes_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id

-- name: vote-current
-- The application's ($1) latest vote, with the reader's ($2) ballot on it:
-- the application's page shows both, and one statement costs it less.
SELECT v.id, v.application_id, v.proposed_cents, v.currency, v.conditions, v.opened_at, v.closes_at, v.closed_at,
    v.decision, v.approved_cents, v.result, coalesce(b.choice, '') AS my_choice, coalesce(b.comment, '') AS my_comment
FROM votes v
LEFT JOIN ballots b ON b.vote_id = v.id AND b.user_id = $2
WHERE v.application_id = $1
ORDER BY v.id DESC
LIMIT 1

-- name: vote-cast-vote
SELECT id, application_id, proposed_cents, currency, conditions, opened_at, closes_at, closed_at,
    decision, approved_cents, result
FROM votes
WHERE id = $1
FOR SHARE

-- name: vote-ballot-insert
INSERT INTO ballots (vote_id, user_id, choice, comment, cast_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (vote_id, user_id) DO UPDATE SET choice = $3, comment = $4, cast_at = $5

-- name: vote-close-vote
SELECT id, application_id, proposed_cents, currency, conditions, opened_at, closes_at, closed_at,
    decision, approved_cents, result
FROM votes
WHERE id = $1
FOR UPDATE

-- name: vote-close-update
UPDATE votes
SET closed_at = $2, closed_by = $3, result = $4, decision = $5, approved_cents = $6
WHERE id = $1

-- name: vote-count-recused
SELECT u.name
FROM conflicts c
JOIN users u ON u.id = c.user_id
WHERE c.application_id = $1 AND c.has_conflict AND u.is_board AND u.active
ORDER BY u.name

-- name: vote-count-eligible
SELECT count(*)
FROM users u
WHERE u.is_board AND u.active

    AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)

    AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
    WHERE a.id = $1 AND m.user_id = u.id)

-- name: vote-count-ballots
SELECT u.name, b.choice, b.comment
FROM ballots b
JOIN users u ON u.id = b.user_id
WHERE b.vote_id = $2 AND u.is_board AND u.active

    AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)

    AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
    WHERE a.id = $1 AND m.user_id = u.id)
ORDER BY u.name

-- name: vote-close-due
SELECT id
FROM votes
WHERE closed_at IS NULL AND closes_at <= $1

-- name: vote-notify-board-application
SELECT a.title, o.legal_name
FROM applications a
JOIN organizations o ON o.id = a.organization_id
WHERE a.id = $1

-- name: vote-notify-board-recipients
SELECT u.id, u.email, u.language, u.notify_digest
FROM users u
WHERE u.notify_email AND u.is_board AND u.active

    AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)

    AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
    WHERE a.id = $1 AND m.user_id = u.id)

-- name: vote-notify-charity-application
SELECT a.title, o.legal_name
FROM applications a
JOIN organizations o ON o.id = a.organization_id
WHERE a.id = $1

-- name: vote-notify-charity-recipients
SELECT u.email, u.name, u.language
FROM users u
JOIN organization_members m ON m.user_id = u.id
JOIN applications a ON a.organization_id = m.organization_id
WHERE a.id = $1 AND u.active

-- name: vote-remind-due
SELECT id
FROM votes
WHERE closed_at IS NULL AND reminded_at IS NULL
    AND closes_at > $1 AND closes_at <= $2

-- name: vote-reminded-update
UPDATE votes
SET reminded_at = $2
WHERE id = $1 AND reminded_at IS NULL AND closed_at IS NULL
RETURNING id, application_id, proposed_cents, currency, conditions, opened_at, closes_at,
    closed_at, decision, approved_cents, result

-- name: vote-not-voted-application
SELECT title
FROM applications
WHERE id = $1

-- name: vote-not-voted-recipients
SELECT u.id, u.email, u.language, u.notify_digest
FROM users u
WHERE u.notify_email AND u.is_board AND u.active

    AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = $1 AND c.user_id = u.id AND c.has_conflict)

    AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
    WHERE a.id = $1 AND m.user_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.vote_id = $2 AND b.user_id = u.id)
