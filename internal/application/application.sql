-- name: application-for-user
-- The charity's home: the columns its list and its to-do list use, no more
-- (each column read is decoded for every row of every visit).
SELECT a.id, o.legal_name AS organization_name, a.status, a.stage, a.title, a.trip_end, a.submitted_at,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title, a.created_at,
    a.status = 'approved' AND (NOT a.report_in OR a.id IN (SELECT g.application_id FROM agreements g
        WHERE g.signed_at IS NULL AND g.voided_at IS NULL)) AS owes,
    r.closes_on AS round_closes_on
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
JOIN organization_members m ON m.organization_id = a.organization_id AND m.user_id = $1
ORDER BY a.created_at DESC, a.id DESC

-- name: application-create-organization
SELECT o.eligible_at IS NOT NULL
FROM organizations o
JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $1
WHERE o.id = $2

-- name: application-create-round
SELECT id, name, rolling, opens_on, closes_on, budget_cents, currency, help, two_stage
FROM funding_rounds
WHERE id = $1

-- name: application-insert
INSERT INTO applications (organization_id, round_id, draft, currency, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id

-- A two-stage round's application, at its concept note.
-- name: application-insert-concept
INSERT INTO applications (organization_id, round_id, draft, currency, created_by, created_at, updated_at, stage, status)
VALUES ($1, $2, $3, $4, $5, $6, $6, 'concept', 'concept_draft')
RETURNING id

-- name: application-save-draft
WITH kept AS (
    INSERT INTO application_draft_revisions (application_id, rev, draft, replaced_at)
    SELECT id, draft_rev, draft, $3 FROM applications WHERE id = $1 AND draft_rev = $4
    ON CONFLICT DO NOTHING)
UPDATE applications
SET draft = $2, draft_saved_at = $3, updated_at = $3, draft_rev = draft_rev + 1
WHERE id = $1 AND draft_rev = $4
RETURNING draft_rev

-- name: application-draft-revisions-prune
DELETE FROM application_draft_revisions
WHERE application_id = $1 AND (rev < $2 OR replaced_at < $3)

-- name: application-current-draft
SELECT draft, draft_rev
FROM applications
WHERE id = $1

-- name: application-revision
SELECT draft
FROM application_draft_revisions
WHERE application_id = $1 AND rev = $2

-- name: application-submit-round
SELECT id, name, rolling, opens_on, closes_on, budget_cents, currency, help
FROM funding_rounds
WHERE id = $1

-- name: application-submit-application
SELECT draft
FROM applications
WHERE id = $1

-- name: application-version-insert
INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at)
VALUES ($1, $2, $3, $4, $5)

-- name: application-submit-update
UPDATE applications
SET version = $2, title = $3, country = $4,
    trip_start = $5, trip_end = $6, amount_requested_cents = $7, submitted_at = $8
WHERE id = $1

-- name: application-move-status
SELECT status
FROM applications
WHERE id = $1
FOR UPDATE

-- name: application-move-update
UPDATE applications
SET status = $2, updated_at = $3
WHERE id = $1 AND status = $4

-- name: application-event
INSERT INTO application_events (application_id, at, actor_id, event, from_status, to_status, note)
VALUES ($1, $2, NULLIF($3, 0), $4, NULLIF($5, ''), NULLIF($6, ''), $7)

-- name: application-recent
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.version > 0
ORDER BY a.submitted_at DESC, a.id DESC
LIMIT $1

-- An application by id ($2) for a person ($1): the IPA sees every one
-- ($1 is named only so that both texts take the same arguments), a charity's
-- members their own. Two texts rather than one with "IPA" as an argument:
-- each then keeps one plan, where the argument made PostgreSQL plan the
-- query again at every run.

-- name: application-get-ipa
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.id = $2 AND $1::bigint IS NOT NULL

-- name: application-get-member
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.id = $2
    AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1)

-- name: application-get-ipa-for-update
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.id = $2 AND $1::bigint IS NOT NULL
FOR UPDATE OF a

-- name: application-get-member-for-update
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.id = $2
    AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1)
FOR UPDATE OF a

-- name: application-before-board
SELECT a.id, a.organization_id, o.legal_name AS organization_name, a.round_id, r.name AS round_name, r.name_es AS round_name_es,
    a.status, a.version, a.title, a.country, a.trip_start, a.trip_end,
    a.amount_requested_cents, a.currency, a.submitted_at, a.draft_saved_at, a.draft_rev,
    CASE WHEN a.version = 0 THEN coalesce(a.draft->>'title', '') ELSE '' END AS draft_title,
    a.created_at, a.decline_reason, a.stage, a.invitation_due
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.status IN ('in_review', 'voting')
ORDER BY a.submitted_at, a.id


-- name: application-delete-documents
-- A deleted draft's documents: the store's sweep removes their files.
DELETE FROM documents WHERE application_id = $1 RETURNING filename

-- name: application-delete
DELETE FROM applications WHERE id = $1 AND status = 'draft'
