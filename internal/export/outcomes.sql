-- name: export-outcomes
SELECT r.application_id, r.accepted_at, a.title, o.legal_name, a.country, a.trip_start, a.trip_end,
    COALESCE(r.patients, 0), COALESCE(r.pediatric, 0), COALESCE(r.open_heart, 0),
    COALESCE(r.bypass, 0),
    COALESCE(r.interventional, 0), COALESCE(r.deaths, 0)
FROM reports r
JOIN applications a ON a.id = r.application_id
JOIN organizations o ON o.id = a.organization_id
WHERE r.status = 'accepted' AND r.accepted_at >= $1 AND r.accepted_at < $2
    AND a.organization_id <> ALL($3::bigint[]) -- not those the reader does not see (outcomes.Unseen)
ORDER BY r.accepted_at, r.application_id
