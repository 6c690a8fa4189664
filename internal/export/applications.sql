-- name: export-applications
SELECT a.id, a.submitted_at, a.status, a.title, o.legal_name, a.country, r.name,
    a.trip_start, a.trip_end, a.amount_requested_cents, a.currency, a.stage
FROM applications a
JOIN organizations o ON o.id = a.organization_id
JOIN funding_rounds r ON r.id = a.round_id
WHERE a.submitted_at >= $1 AND a.submitted_at < $2
ORDER BY a.submitted_at, a.id
