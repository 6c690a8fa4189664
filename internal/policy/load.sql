-- What the rules need to know of a person ($2) and an application ($1) at
-- a time ($3): one statement for each way policy.Load may lock the row.

-- name: policy-load
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    c.user_id IS NOT NULL AS declared, coalesce(c.has_conflict, FALSE) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
WHERE a.id = $1

-- name: policy-load-share
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    c.user_id IS NOT NULL AS declared, coalesce(c.has_conflict, FALSE) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
WHERE a.id = $1
FOR SHARE OF a

-- name: policy-load-update
SELECT a.status,
    EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $2) AS member,
    EXISTS (SELECT 1 FROM organization_members m
        WHERE m.organization_id = a.organization_id AND m.user_id = $2 AND m.signatory) AS signatory,
    c.user_id IS NOT NULL AS declared, coalesce(c.has_conflict, FALSE) AS recused,
    EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $3) AS vote_open,
    EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) AS awarded,
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = a.id), '') AS report,
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = a.id AND g.voided_at IS NULL), '') AS agreement,
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = a.round_id) AS concept_by_board
FROM applications a
LEFT JOIN conflicts c ON c.application_id = a.id AND c.user_id = $2
WHERE a.id = $1
FOR UPDATE OF a
