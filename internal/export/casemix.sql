-- One row per accepted report and category of its case mix, with the
-- deaths expected in the category from the reference mortality (children;
-- NULL where the category has none) or the team's predicted mortality (adults).
-- name: export-case-mix
SELECT r.application_id, r.accepted_at, o.legal_name, a.country, a.trip_end,
    m.age_group, m.category, m.cases, m.deaths, m.deaths_hospital, m.deaths_after, m.ssi, m.bsi,
    rm.percent::float8 AS reference_percent,
    CASE WHEN m.age_group = 'adult' THEN m.predicted ELSE m.cases * rm.percent / 100 END::float8 AS expected,
    r.adult_score
FROM report_case_mix m
JOIN reports r ON r.application_id = m.application_id
JOIN applications a ON a.id = r.application_id
JOIN organizations o ON o.id = a.organization_id
LEFT JOIN reference_mortality rm ON m.age_group = 'child' AND rm.category::text = m.category
WHERE r.status = 'accepted' AND r.accepted_at >= $1 AND r.accepted_at < $2
    AND a.organization_id <> ALL($3::bigint[]) -- not those the reader does not see (outcomes.Unseen)
ORDER BY r.accepted_at, r.application_id, m.age_group DESC, m.category

-- One row per accepted report with a children's case mix: the deaths
-- observed and expected in the categories that have a reference
-- mortality (the ratio and its interval are computed in Go).
-- name: export-trip-outcomes
SELECT r.application_id, r.accepted_at, o.legal_name, a.country, a.trip_end,
    sum(m.cases)::bigint AS cases,
    coalesce(sum(m.deaths) FILTER (WHERE rm.percent IS NOT NULL), 0)::bigint AS observed,
    coalesce(sum(m.cases * rm.percent / 100), 0)::float8 AS expected,
    coalesce(sum(m.cases) FILTER (WHERE rm.percent IS NULL), 0)::bigint AS left_out,
    coalesce(sum(m.ssi), 0)::bigint AS ssi, coalesce(sum(m.bsi), 0)::bigint AS bsi
FROM report_case_mix m
JOIN reports r ON r.application_id = m.application_id
JOIN applications a ON a.id = r.application_id
JOIN organizations o ON o.id = a.organization_id
LEFT JOIN reference_mortality rm ON rm.category::text = m.category
WHERE r.status = 'accepted' AND r.accepted_at >= $1 AND r.accepted_at < $2
    AND m.age_group = 'child'
    AND a.organization_id <> ALL($3::bigint[]) -- not those the reader does not see (outcomes.Unseen)
GROUP BY r.application_id, r.accepted_at, o.legal_name, a.country, a.trip_end
ORDER BY r.accepted_at, r.application_id
