-- name: vote-minutes
SELECT v.id, v.application_id, v.proposed_cents, v.approved_cents, v.currency, v.conditions,
    v.opened_at,
    v.closes_at, v.closed_at, v.decision, v.result, a.title, o.legal_name AS organization,
    (EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = a.id AND c.user_id = $3 AND c.has_conflict)
        OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $3)) AS withheld
FROM votes v
JOIN applications a ON a.id = v.application_id
JOIN organizations o ON o.id = a.organization_id
WHERE v.closed_at >= $1 AND v.closed_at < $2
ORDER BY v.closed_at, v.id
