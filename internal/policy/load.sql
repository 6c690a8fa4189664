-- What the rules need to know of a person ($2) and an application ($1) at
-- a time ($3): one statement for each way policy.Load may lock the row.
-- A standing conflict with the charity (00030_assignments.sql) declares and
-- recuses as a conflict on the application does.

-- name: policy-load
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL) AS declared, (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
LEFT JOIN standing_conflicts sc ON sc.organization_id = a.organization_id AND sc.user_id = $2 AND sc.withdrawn_at IS NULL
WHERE a.id = $1

-- name: policy-load-share
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL) AS declared, (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
LEFT JOIN standing_conflicts sc ON sc.organization_id = a.organization_id AND sc.user_id = $2 AND sc.withdrawn_at IS NULL
WHERE a.id = $1
FOR SHARE OF a

-- name: policy-load-update
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL) AS declared, (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
LEFT JOIN standing_conflicts sc ON sc.organization_id = a.organization_id AND sc.user_id = $2 AND sc.withdrawn_at IS NULL
WHERE a.id = $1
FOR UPDATE OF a

-- name: policy-load-many
-- The same facts for each of several applications ($1), for a page that
-- lists them with what may be done to each; no lock. Scalar subqueries,
-- not EXISTS: over many rows PostgreSQL hashed an EXISTS's whole table
-- (every award, every open vote, every membership), which grows with the
-- data; a scalar subquery is one index lookup per row. The ids go through
-- ARRAY(SELECT unnest(...)) so that the planner cannot count them: for one
-- or two ids a fresh plan looked cheaper than the one kept, and the
-- statement was planned anew at each request (1.2 ms under load, eight
-- times what it takes to run).
SELECT a.id, a.status, m.signatory IS NOT NULL AS member, coalesce(m.signatory, FALSE) AS signatory,
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL) AS declared, (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL) AS recused,
    coalesce((SELECT v.closes_at > $3 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL), FALSE) AS vote_open,
    coalesce((SELECT TRUE FROM awards w WHERE w.application_id = a.id), FALSE) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN LATERAL (SELECT m.signatory FROM organization_members m
    WHERE m.organization_id = a.organization_id AND m.user_id = $2) m ON TRUE
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
LEFT JOIN standing_conflicts sc ON sc.organization_id = a.organization_id AND sc.user_id = $2 AND sc.withdrawn_at IS NULL
WHERE a.id = ANY(ARRAY(SELECT unnest($1::bigint[])))

-- name: policy-board
-- Every active board member as the rules see them on application $1.
SELECT u.id, u.is_admin, u.is_board,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = u.id) AS member,
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL) AS declared, (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL) AS recused
FROM applications a
CROSS JOIN users u
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = u.id
LEFT JOIN standing_conflicts sc ON sc.organization_id = a.organization_id AND sc.user_id = u.id AND sc.withdrawn_at IS NULL
WHERE a.id = $1 AND u.is_board AND u.active
ORDER BY u.id
