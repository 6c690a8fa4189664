-- name: application-counts
SELECT r.id AS round_id, r.name AS round_name, r.name_es AS round_name_es, c.status, c.n
FROM application_counts c
JOIN funding_rounds r ON r.id = c.round_id
WHERE c.n > 0
ORDER BY r.id DESC, c.status