-- name: organization-eligibility-update
UPDATE organizations o
SET eligibility = $3, eligible_at = CASE WHEN $4 THEN $5::timestamptz END, updated_at = $5
WHERE o.id = $2
    AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $1)
