-- name: export-payments
SELECT p.id, p.paid_on, p.amount_cents, w.currency, p.method, p.reference, p.reverses, p.reason,
    CASE WHEN NOT p.needs_approval THEN 'counted' WHEN pa.payment_id IS NOT NULL THEN 'approved'
    WHEN pc.payment_id IS NOT NULL THEN 'cancelled' ELSE 'awaiting_approval' END,
    w.id, w.amount_cents, w.application_id, o.legal_name, i.position, i.amount_cents, i.due_on,
    p.recorded_at
FROM payments p
JOIN awards w ON w.id = p.award_id
JOIN instalments i ON i.id = p.instalment_id
JOIN applications a ON a.id = w.application_id
JOIN organizations o ON o.id = a.organization_id
LEFT JOIN payment_approvals pa ON pa.payment_id = p.id
LEFT JOIN payment_cancellations pc ON pc.payment_id = p.id
WHERE p.paid_on BETWEEN $1::date AND $2::date
ORDER BY p.paid_on, p.id
