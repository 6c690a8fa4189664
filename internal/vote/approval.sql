-- name: vote-approve-minutes
INSERT INTO minutes_approvals (period_from, period_to, decisions, approved_by, approved_at)
VALUES ($1, $2, $3, $4, $5)

-- name: vote-minutes-approval
SELECT u.name, m.approved_at, m.decisions
FROM minutes_approvals m
JOIN users u ON u.id = m.approved_by
WHERE m.period_from = $1 AND m.period_to = $2
ORDER BY m.approved_at DESC, m.id DESC
LIMIT 1
