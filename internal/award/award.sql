-- name: award-create-application
SELECT a.round_id, a.currency, v.id AS vote_id, v.approved_cents
FROM applications a
JOIN votes v ON v.application_id = a.id AND v.decision = 'approved'
WHERE a.id = $1
ORDER BY v.id DESC
LIMIT 1

-- name: award-insert
INSERT INTO awards (application_id, round_id, vote_id, year, amount_cents, currency, conditions, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id

-- name: award-instalment-insert
INSERT INTO instalments (award_id, position, amount_cents, due_on, condition)
VALUES ($1, $2, $3, $4, $5)

-- name: award-for-application
SELECT w.id, w.application_id, w.round_id, w.year, w.amount_cents, w.currency, w.conditions,
    w.paid_cents, w.created_at
FROM awards w
JOIN applications a ON a.id = w.application_id
WHERE w.application_id = $3
    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1))

-- name: award-instalments
SELECT id, position, amount_cents, due_on, condition, paid_cents
FROM instalments
WHERE award_id = $1
ORDER BY position

-- name: award-payments
SELECT p.id, p.instalment_id, p.amount_cents, p.reverses, p.paid_on, p.method, p.reference,
    p.reason, p.override_reason, p.needs_approval,
    pa.payment_id IS NOT NULL AS approved, pc.payment_id IS NOT NULL AS cancelled,
    coalesce(pc.reason, '') AS cancel_reason, p.recorded_by, p.receipt_id, p.recorded_at,
    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed
FROM payments p
LEFT JOIN payment_approvals pa ON pa.payment_id = p.id
LEFT JOIN payment_cancellations pc ON pc.payment_id = p.id
WHERE p.award_id = $1
ORDER BY p.id
