-- name: report-mix-delete
DELETE FROM report_case_mix
WHERE application_id = $1

-- name: report-mix-insert
INSERT INTO report_case_mix (application_id, age_group, category, cases, deaths,
    deaths_hospital, deaths_after, ssi, bsi, predicted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)

-- name: report-perfusion-update
UPDATE reports
SET adult_score = NULLIF($2, ''), perf_bypass_cases = $3, perf_bypass_minutes = $4,
    perf_clamp_minutes = $5, perf_transfused = $6, perf_lowest_hct = $7
WHERE application_id = $1

-- The case mix of every accepted report, by age group and category, for
-- the impact page; a report accepted before case mixes were asked counts
-- its children and adults as "not reported", so that the case mix adds up
-- to the patients the impact page counts.
-- name: report-impact-mix
SELECT age_group, category, sum(cases)::int AS cases
FROM (
    SELECT m.age_group, m.category, m.cases
    FROM report_case_mix m
    JOIN reports r ON r.application_id = m.application_id
    WHERE r.status = 'accepted' AND m.cases > 0
    UNION ALL
    SELECT g.age_group, 'not_reported', g.n
    FROM reports r
    CROSS JOIN LATERAL (VALUES ('child', coalesce(r.pediatric, 0)), ('adult', coalesce(r.patients, 0) - coalesce(r.pediatric, 0))) AS g (age_group, n)
    WHERE r.status = 'accepted' AND g.n > 0
        AND NOT EXISTS (SELECT 1 FROM report_case_mix m WHERE m.application_id = r.application_id)
) AS x
GROUP BY age_group, category
