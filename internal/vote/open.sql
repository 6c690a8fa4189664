-- name: vote-open-votes
SELECT v.id, v.application_id, a.title, v.closes_at, count(*) OVER () AS total
FROM votes v
JOIN applications a ON a.id = v.application_id
WHERE v.closed_at IS NULL
ORDER BY v.closes_at, v.id
LIMIT $1
