-- name: review-criteria
SELECT id, key, name_en, name_es, weight, active
FROM review_criteria
WHERE active
ORDER BY position, id

-- name: review-record-for
SELECT (is_board OR is_admin)
FROM users
WHERE id = $1 AND active

-- name: review-declared
SELECT has_conflict
FROM conflicts
WHERE application_id = $1 AND user_id = $2
FOR UPDATE

-- name: review-conflict-upsert
INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (application_id, user_id) DO UPDATE SET has_conflict = $3, note = $4, declared_at = $5,
    recorded_by = $6

-- name: review-open-ballots-delete
DELETE FROM ballots b USING votes v
WHERE b.vote_id = v.id AND v.application_id = $1
    AND v.closed_at IS NULL AND b.user_id = $2

-- name: review-declarations
SELECT c.user_id, u.name, c.has_conflict, c.note, c.declared_at
FROM conflicts c
JOIN users u ON u.id = c.user_id
WHERE c.application_id = $1
ORDER BY u.name

-- name: review-submit
INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (application_id, user_id) DO UPDATE SET scores = $3, weighted_milli = $4, comment = $5,
    recommendation = $6, submitted_at = $7

-- name: review-reviews
-- counts: the review makes the mean, by the round's scores_from (everyone's,
-- or only the assigned reviewers').
SELECT r.user_id, u.name, r.scores, r.weighted_milli, r.comment, r.recommendation, r.submitted_at,
    (fr.scores_from = 'everyone' OR EXISTS (SELECT 1 FROM assignments s
        WHERE s.application_id = r.application_id AND s.user_id = r.user_id)) AS counts
FROM reviews r
JOIN users u ON u.id = r.user_id
JOIN applications a ON a.id = r.application_id
JOIN funding_rounds fr ON fr.id = a.round_id
WHERE r.application_id = $1
    AND ($3 OR EXISTS (SELECT 1 FROM reviews WHERE application_id = $1 AND user_id = $2))
ORDER BY r.submitted_at

-- name: review-discuss
INSERT INTO board_comments (application_id, author_id, body, created_at)
VALUES ($1, $2, $3, $4)

-- name: review-discussion
SELECT u.name AS author_name, c.body, c.created_at
FROM board_comments c
JOIN users u ON u.id = c.author_id
WHERE c.application_id = $1
ORDER BY c.created_at, c.id
