-- name: outcomes-reference
SELECT r.category, r.percent::float8 AS percent, r.source, r.updated_at, coalesce(u.name, '') AS updated_by
FROM reference_mortality r
LEFT JOIN users u ON u.id = r.updated_by
ORDER BY r.category

-- name: outcomes-reference-lock
SELECT category, percent::float8 AS percent, source
FROM reference_mortality
ORDER BY category
FOR UPDATE

-- name: outcomes-reference-update
UPDATE reference_mortality
SET percent = $2, source = $3, updated_by = $4, updated_at = $5
WHERE category = $1

-- Every accepted report's case mix, a row per category, the trips in
-- the order they ended; $1 = 0 for every charity, else one charity's;
-- the trips that ended on day $2 or after (NULL: all).
-- name: outcomes-trips
SELECT a.id AS application_id, a.organization_id, o.legal_name AS organization, a.title,
    a.trip_end, m.age_group, m.category, m.cases, m.deaths,
    coalesce(m.ssi, 0) AS ssi, coalesce(m.bsi, 0) AS bsi, m.predicted::float8 AS predicted
FROM report_case_mix m
JOIN reports r ON r.application_id = m.application_id
JOIN applications a ON a.id = m.application_id
JOIN organizations o ON o.id = a.organization_id
WHERE r.status = 'accepted' AND ($1::bigint = 0 OR a.organization_id = $1)
    AND ($2::date IS NULL OR a.trip_end >= $2::date)
    -- Not the charities whose outcomes the reader does not see ($3: Unseen).
    AND a.organization_id <> ALL($3::bigint[])
ORDER BY a.trip_end, a.id, m.age_group DESC, m.category

-- The charities whose outcomes reader $1 does not see (Unseen): those
-- they have a standing conflict with, not withdrawn.
-- name: outcomes-unseen
SELECT organization_id
FROM standing_conflicts
WHERE user_id = $1 AND withdrawn_at IS NULL
ORDER BY organization_id

-- A charity's funded trips that have ended, but one (the application the
-- board reads), latest first, with their reports' state and due day.
-- name: outcomes-history
SELECT a.id AS application_id, a.title, a.trip_end, coalesce(r.status, '') AS status, r.submitted_at,
    (a.trip_end + $2::int) AS due_on
FROM applications a
LEFT JOIN reports r ON r.application_id = a.id
WHERE a.organization_id = $1 AND a.id <> $3 AND a.status = 'approved' AND a.trip_end < $4::date
ORDER BY a.trip_end DESC, a.id DESC

-- Where what the outcomes page reads stands: moved by every change to it,
-- as the change commits (migrations/00043_outcomes_version.sql).
-- name: outcomes-version
SELECT n FROM outcomes_version
