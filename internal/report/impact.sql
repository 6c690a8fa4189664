-- name: report-impact
SELECT a.country, extract(year FROM a.trip_start)::int AS year, count(*) AS trips,
    coalesce(sum(r.patients), 0) AS patients,
    coalesce(sum(coalesce(r.open_heart, 0) + coalesce(r.interventional, 0)), 0) AS surgeries,
    coalesce(sum(r.bypass), 0) AS bypass
FROM reports r
JOIN applications a ON a.id = r.application_id
WHERE r.status = 'accepted'
GROUP BY a.country, year
ORDER BY year DESC, a.country

-- name: report-public
SELECT value
FROM settings
WHERE key = 'impact.public'

-- name: report-set-public
INSERT INTO settings (key, value, updated_by, updated_at)
VALUES ('impact.public', $1, $2, now())
ON CONFLICT (key) DO UPDATE SET value = $1, updated_by = $2, updated_at = now()
