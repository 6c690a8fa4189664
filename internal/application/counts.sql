-- name: application-counts
SELECT r.id AS round_id, r.name AS round_name, c.status, c.n
FROM (SELECT round_id, status, count(*) AS n FROM applications GROUP BY round_id, status) c
JOIN funding_rounds r ON r.id = c.round_id
ORDER BY r.id DESC, c.status
