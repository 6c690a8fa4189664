-- name: review-all-criteria
SELECT id, key, name_en, name_es, weight, active
FROM review_criteria
ORDER BY position, id

-- name: review-criterion-insert
INSERT INTO review_criteria (key, name_en, name_es, weight, active, position)
VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(position), 0) + 1 FROM review_criteria))
RETURNING id

-- name: review-criterion-update
UPDATE review_criteria
SET name_en = $2, name_es = $3, weight = $4, active = $5
WHERE id = $1
