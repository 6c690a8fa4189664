-- name: application-rounds
SELECT id, name, name_es, rolling, opens_on, closes_on, budget_cents, currency, help,
    two_stage, concept_by_board, concept_questions
FROM funding_rounds
ORDER BY rolling DESC, opens_on DESC NULLS FIRST, id DESC

-- name: application-round-names
-- The rounds as a filter names them, in application-rounds' order; their
-- help and questions are long and a filter reads none of them.
SELECT id, name, name_es
FROM funding_rounds
ORDER BY rolling DESC, opens_on DESC NULLS FIRST, id DESC

-- name: application-round
SELECT id, name, name_es, rolling, opens_on, closes_on, budget_cents, currency, help,
    two_stage, concept_by_board, concept_questions
FROM funding_rounds
WHERE id = $1

-- name: application-round-insert
INSERT INTO funding_rounds (name, rolling, opens_on, closes_on, budget_cents, currency, name_es)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id

-- name: application-round-update
UPDATE funding_rounds
SET name = $2, rolling = $3, opens_on = $4, closes_on = $5,
    budget_cents = $6, name_es = $7, updated_at = now()
WHERE id = $1

-- name: application-save-round-help
UPDATE funding_rounds
SET help = $2, updated_at = now()
WHERE id = $1
