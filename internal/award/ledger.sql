-- name: award-pay-instalment
SELECT i.award_id, i.condition, w.application_id,
    i.amount_cents - i.paid_cents - i.pending_cents AS due
FROM instalments i
JOIN awards w ON w.id = i.award_id
WHERE i.id = $1 AND w.application_id = $2
FOR UPDATE OF w

-- name: award-payment-insert
INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, reference, override_reason,
        idempotency_key, needs_approval, receipt_id, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id

-- name: award-payment-of
SELECT p.id, p.instalment_id, p.amount_cents, p.reverses, p.paid_on, p.method, p.reference,
    p.reason, p.override_reason, p.needs_approval,
    pa.payment_id IS NOT NULL AS approved, pc.payment_id IS NOT NULL AS cancelled,
    coalesce(pc.reason, '') AS cancel_reason, p.recorded_by, p.receipt_id, p.recorded_at,
    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed
FROM payments p
LEFT JOIN payment_approvals pa ON pa.payment_id = p.id
LEFT JOIN payment_cancellations pc ON pc.payment_id = p.id
JOIN awards w ON w.id = p.award_id
WHERE p.id = $1 AND w.application_id = $2

-- name: award-approve
INSERT INTO payment_approvals (payment_id, approved_by, approved_at)
VALUES ($1, $2, $3)

-- name: award-cancel
INSERT INTO payment_cancellations (payment_id, cancelled_by, reason, cancelled_at)
VALUES ($1, $2, $3, $4)

-- name: award-duplicate
SELECT EXISTS (SELECT 1 FROM payments p
    WHERE p.award_id = $1 AND p.reverses IS NULL
        AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)
        AND NOT EXISTS (SELECT 1 FROM payment_cancellations c WHERE c.payment_id = p.id)
        AND CASE WHEN $5 <> '' THEN lower(p.reference) = lower($5)
        ELSE p.instalment_id = $2 AND p.amount_cents = $3 AND p.paid_on = $4 END)

-- name: award-reverse-payment
SELECT p.instalment_id, p.award_id, p.amount_cents
FROM payments p
JOIN awards w ON w.id = p.award_id
WHERE p.id = $1 AND w.application_id = $2

-- name: award-reversal-insert
INSERT INTO payments (instalment_id, award_id, amount_cents, reverses, paid_on, method, reason,
        idempotency_key, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, 'other', $6, $7, $8, $9)

-- name: award-reversal-resent
SELECT reverses
FROM payments
WHERE idempotency_key = $1

-- name: award-notify-admins
SELECT u.email, u.language, a.title, a.currency
FROM users u, applications a
WHERE a.id = $1 AND u.is_admin AND u.active AND u.notify_email AND u.id <> $2

-- name: award-notify-paid
SELECT u.email, u.language, a.title, a.currency
FROM users u
JOIN organization_members m ON m.user_id = u.id
JOIN applications a ON a.organization_id = m.organization_id
WHERE a.id = $1 AND u.active

-- name: award-round-budget
SELECT r.budget_cents, coalesce(sum(w.amount_cents), 0), coalesce(sum(w.paid_cents), 0)
FROM funding_rounds r
LEFT JOIN awards w ON w.round_id = r.id
WHERE r.id = $1
GROUP BY r.id

-- name: award-round-budgets
SELECT r.id, r.budget_cents, coalesce(sum(w.amount_cents), 0), coalesce(sum(w.paid_cents), 0)
FROM funding_rounds r
LEFT JOIN awards w ON w.round_id = r.id
GROUP BY r.id

-- name: award-years
SELECT year, awarded_cents AS awarded, paid_cents AS paid
FROM award_years
WHERE awarded_cents <> 0 OR paid_cents <> 0
ORDER BY year DESC

-- name: award-payment-by-id
SELECT p.id, p.instalment_id, p.amount_cents, p.reverses, p.paid_on, p.method, p.reference,
    p.reason, p.override_reason, p.needs_approval,
    pa.payment_id IS NOT NULL AS approved, pc.payment_id IS NOT NULL AS cancelled,
    coalesce(pc.reason, '') AS cancel_reason, p.recorded_by, p.receipt_id, p.recorded_at,
    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed
FROM payments p
LEFT JOIN payment_approvals pa ON pa.payment_id = p.id
LEFT JOIN payment_cancellations pc ON pc.payment_id = p.id
WHERE p.id = $1

-- name: award-payment-by-key
SELECT p.id, p.instalment_id, p.amount_cents, p.reverses, p.paid_on, p.method, p.reference,
    p.reason, p.override_reason, p.needs_approval,
    pa.payment_id IS NOT NULL AS approved, pc.payment_id IS NOT NULL AS cancelled,
    coalesce(pc.reason, '') AS cancel_reason, p.recorded_by, p.receipt_id, p.recorded_at,
    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed
FROM payments p
LEFT JOIN payment_approvals pa ON pa.payment_id = p.id
LEFT JOIN payment_cancellations pc ON pc.payment_id = p.id
WHERE p.idempotency_key = $1
