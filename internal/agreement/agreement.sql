-- name: agreement-insert
INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id

-- name: agreement-facts
SELECT w.application_id, t.language, o.legal_name, a.title, w.amount_cents, w.currency,
    w.conditions, a.trip_start, a.trip_end, w.year, t.body
FROM awards w
JOIN applications a ON a.id = w.application_id
JOIN organizations o ON o.id = a.organization_id
JOIN users u ON u.id = a.created_by
JOIN agreement_templates t ON t.language = CASE WHEN u.language = 'es' THEN 'es' ELSE 'en' END
WHERE w.id = $1

-- name: agreement-facts-instalments
SELECT amount_cents AS amount, due_on AS dueon, condition
FROM instalments
WHERE award_id = $1
ORDER BY position

-- name: agreement-standing
SELECT id, application_id, language, pdf_sha256, issued_at, signed_at, signer_name, signer_title,
    voided_at, void_reason
FROM agreements
WHERE application_id = $1 AND voided_at IS NULL

-- name: agreement-history
SELECT id, application_id, language, pdf_sha256, issued_at, signed_at, signer_name, signer_title,
    voided_at, void_reason
FROM agreements
WHERE application_id = $1
ORDER BY id DESC

-- name: agreement-pdf
SELECT id, application_id, language, pdf_sha256, issued_at, signed_at, signer_name, signer_title,
    voided_at, void_reason, pdf, signed_pdf
FROM agreements
WHERE id = $1 AND application_id = $2

-- name: agreement-sign-open
SELECT g.id, g.award_id, g.pdf_sha256, g.body, g.issued_at, o.legal_name
FROM agreements g
JOIN applications a ON a.id = g.application_id
JOIN organizations o ON o.id = a.organization_id
WHERE g.application_id = $1 AND g.voided_at IS NULL AND g.signed_at IS NULL
FOR UPDATE OF g

-- name: agreement-sign-update
UPDATE agreements
SET signed_by = $2, signer_name = $3, signer_title = $4, signer_ip = $5, statement = $6,
    signed_at = $7, signed_pdf = $8
WHERE id = $1

-- name: agreement-void
UPDATE agreements
SET voided_by = $2, voided_at = $3, void_reason = $4
WHERE application_id = $1 AND voided_at IS NULL AND signed_at IS NULL
RETURNING id, award_id

-- name: agreement-template
SELECT body
FROM agreement_templates
WHERE language = $1

-- name: agreement-terms
SELECT body
FROM agreements
WHERE id = $1

-- name: agreement-save-templates
UPDATE agreement_templates
SET body = $2, updated_by = $3, updated_at = $4
WHERE language = $1

-- name: agreement-signatories
SELECT u.email, u.language
FROM applications a
JOIN organization_members m ON m.organization_id = a.organization_id AND m.signatory
JOIN users u ON u.id = m.user_id AND u.active
WHERE a.id = $1
ORDER BY u.id
