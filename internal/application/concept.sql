-- A two-stage round's concept note (concept.go).

-- name: concept-draft
SELECT concept, concept_rev
FROM applications
WHERE id = $1

-- name: concept-versions
SELECT v.version, v.data, v.submitted_at, u.name AS submitted_by_name
FROM concept_versions v
JOIN users u ON u.id = v.submitted_by
WHERE v.application_id = $1
ORDER BY v.version

-- The note saved, its revision counted up; only while it is still at
-- revision $4, the one the saving page was based on (every save says it:
-- its button's as its autosave's).
-- name: concept-save
UPDATE applications
SET concept = $2, draft_saved_at = $3, updated_at = $3, concept_rev = concept_rev + 1
WHERE id = $1 AND concept_rev = $4::integer
RETURNING concept_rev

-- The note sent: its next version frozen, and the application listed
-- (title, rough amount, time sent) as the queue shows it.
-- name: concept-send
WITH sent AS (
    UPDATE applications
    SET concept_version = concept_version + 1, title = $5, amount_requested_cents = $6, submitted_at = $4
    WHERE id = $1
    RETURNING id, concept_version)
INSERT INTO concept_versions (application_id, version, data, submitted_by, submitted_at)
SELECT id, concept_version, $2, $3, $4 FROM sent
RETURNING version

-- The last note sent, with the language of whoever sent it.
-- name: concept-last
SELECT v.data, u.language
FROM concept_versions v
JOIN users u ON u.id = v.submitted_by
WHERE v.application_id = $1
ORDER BY v.version DESC
LIMIT 1

-- The invitation: the application becomes the full proposal, begun from the
-- note (the draft's revision counts up, as any save).
-- name: concept-invite
UPDATE applications
SET stage = 'full', invited_at = $2, invited_by = $3, invitation_due = $4,
    draft = $5, draft_rev = draft_rev + 1, draft_saved_at = $2, updated_at = $2
WHERE id = $1 AND stage = 'concept' AND status = 'invited'

-- name: round-stages-save
UPDATE funding_rounds
SET two_stage = $2, concept_by_board = $3, concept_questions = $4, updated_at = now()
WHERE id = $1
