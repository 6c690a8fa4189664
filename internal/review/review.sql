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

-- name: review-submit
INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (application_id, user_id) DO UPDATE SET scores = $3, weighted_milli = $4, comment = $5,
    recommendation = $6, submitted_at = $7

-- name: review-discuss
INSERT INTO board_comments (application_id, author_id, body, created_at)
VALUES ($1, $2, $3, $4)

-- name: review-panel
-- The board's panel on application $1, in one statement, each part a JSON
-- array: the members' declarations, the active criteria, the reviews (when
-- the rules let reader $2 see them, $3: a board member only once they have
-- reviewed it, an admin, $4, always) and the board's discussion (when the
-- rules let them see it, $5); null where they may not. The application's
-- page shows all four; as four statements they cost it more than their
-- rows. A review counts toward the mean by the round's scores_from:
-- everyone's, or only the assigned reviewers'.
-- Each flag is read as (SELECT $n), so that one plan serves every reader
-- (docs/architecture.md): as bare flags, PostgreSQL planned the statement
-- anew at every request, 0.5-1.1 ms under load.
SELECT
    (SELECT coalesce(json_agg(json_build_object('user_id', c.user_id, 'name', u.name, 'has_conflict', c.has_conflict,
            'note', c.note, 'declared_at', c.declared_at) ORDER BY u.name), '[]')
        FROM conflicts c JOIN users u ON u.id = c.user_id
        WHERE c.application_id = $1) AS declarations,
    (SELECT coalesce(json_agg(json_build_object('id', k.id, 'key', k.key, 'name_en', k.name_en, 'name_es', k.name_es,
            'weight', k.weight, 'active', k.active) ORDER BY k.position, k.id), '[]')
        FROM review_criteria k
        WHERE k.active) AS criteria,
    CASE WHEN (SELECT $3::boolean) THEN (SELECT coalesce(json_agg(json_build_object('user_id', r.user_id, 'name', u.name, 'scores', r.scores,
            'weighted_milli', r.weighted_milli, 'comment', r.comment, 'recommendation', r.recommendation,
            'submitted_at', r.submitted_at,
            'counts', fr.scores_from = 'everyone' OR EXISTS (SELECT 1 FROM assignments s
                WHERE s.application_id = r.application_id AND s.user_id = r.user_id)) ORDER BY r.submitted_at), '[]')
        FROM reviews r
        JOIN users u ON u.id = r.user_id
        JOIN applications a ON a.id = r.application_id
        JOIN funding_rounds fr ON fr.id = a.round_id
        WHERE r.application_id = $1
            AND ((SELECT $4::boolean) OR EXISTS (SELECT 1 FROM reviews WHERE application_id = $1 AND user_id = $2))) END AS reviews,
    CASE WHEN (SELECT $5::boolean) THEN (SELECT coalesce(json_agg(json_build_object('author_name', u.name, 'body', c.body,
            'created_at', c.created_at) ORDER BY c.created_at, c.id), '[]')
        FROM board_comments c
        JOIN users u ON u.id = c.author_id
        WHERE c.application_id = $1) END AS discussion
