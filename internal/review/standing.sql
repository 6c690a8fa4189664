-- Standing conflicts with a charity (standing.go; the triggers of
-- migrations/00030_assignments.sql record them on every application of it).

-- name: review-standing-charity
-- The charity, and whether $2 is one of its members.
SELECT legal_name,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $2) AS member
FROM organizations o
WHERE o.id = $1

-- name: review-standing-insert
INSERT INTO standing_conflicts (user_id, organization_id, reason, declared_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (organization_id, user_id) WHERE withdrawn_at IS NULL DO NOTHING
RETURNING id

-- name: review-standing-ballots-delete
-- A recused member's ballots in the charity's open votes go.
DELETE FROM ballots b USING votes v, applications a
WHERE b.vote_id = v.id AND v.application_id = a.id AND a.organization_id = $1
    AND v.closed_at IS NULL AND b.user_id = $2

-- name: review-standing-withdraw
UPDATE standing_conflicts
SET withdrawn_at = $3, withdrawn_by = $2, withdraw_reason = $4
WHERE id = $1 AND withdrawn_at IS NULL
RETURNING user_id, organization_id

-- name: review-standing-active
-- The standing conflicts in force: all of them ($1 NULL) or one member's.
SELECT s.id, s.user_id, u.name AS user_name, s.organization_id, o.legal_name AS organization_name, s.reason, s.declared_at
FROM standing_conflicts s
JOIN users u ON u.id = s.user_id
JOIN organizations o ON o.id = s.organization_id
WHERE s.withdrawn_at IS NULL AND ($1::bigint IS NULL OR s.user_id = $1)
ORDER BY o.legal_name, u.name, s.id

-- name: review-standing-charities
-- The charities a standing conflict may name: those that registered.
SELECT id, legal_name
FROM organizations
ORDER BY legal_name, id
