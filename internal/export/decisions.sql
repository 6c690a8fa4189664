-- name: export-decisions
SELECT v.id, v.application_id, a.title, o.legal_name, v.closed_at, v.decision,
    v.proposed_cents, v.currency,
    COALESCE((v.result->>'Eligible')::int, 0), COALESCE((v.result->>'Cast')::int, 0),
    COALESCE((v.result->>'Approve')::int, 0), COALESCE((v.result->>'Decline')::int, 0),
    COALESCE((v.result->>'Abstain')::int, 0), COALESCE((v.result->>'QuorumMet')::boolean, FALSE)
FROM votes v
JOIN applications a ON a.id = v.application_id
JOIN organizations o ON o.id = a.organization_id
WHERE v.closed_at >= $1 AND v.closed_at < $2
ORDER BY v.closed_at, v.id
