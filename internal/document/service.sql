-- name: document-list
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
WHERE d.removed_at IS NULL
    AND (d.application_id = $1 OR (d.application_id IS NULL AND d.organization_id = $2))
ORDER BY d.uploaded_at, d.id

-- name: document-for-organization
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
WHERE d.removed_at IS NULL AND d.application_id IS NULL AND d.organization_id = $1
ORDER BY d.uploaded_at, d.id

-- name: document-may-write-member
SELECT EXISTS (SELECT 1 FROM organization_members WHERE organization_id = $1 AND user_id = $2)

-- name: document-may-write-organization
SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1)

-- name: document-state-for
SELECT a.organization_id
FROM applications a
JOIN organization_members m ON m.organization_id = a.organization_id AND m.user_id = $1
WHERE a.id = $2

-- name: document-insert
INSERT INTO documents AS d (organization_id, application_id, kind, filename, content_type,
        size_bytes, sha256, storage_key, licence_expires_on, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type,
    d.size_bytes, d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by

-- name: document-retire-frozen
SELECT EXISTS (SELECT 1 FROM application_version_documents WHERE document_id = $1)

-- name: document-retire-update
UPDATE documents
SET removed_at = $2, removed_by = $3, replaced_by = $4
WHERE id = $1

-- name: document-retire-delete
DELETE FROM documents
WHERE id = $1

-- Who sees a row owned by an organization: $1 is the user's id, $2 whether
-- they are IPA (board or admin), who see every charity's documents; the
-- statements below repeat the rule.

-- name: document-get
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
WHERE d.id = $3

    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = d.organization_id AND m.user_id = $1))

-- name: document-get-for-update
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
WHERE d.id = $3

    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = d.organization_id AND m.user_id = $1))
FOR UPDATE OF d

-- name: document-list-application
SELECT a.organization_id
FROM applications a
WHERE a.id = $3

    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $1))

-- name: document-for-organization-visible
SELECT TRUE
FROM organizations o
WHERE o.id = $3

    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $1))

-- name: document-for-version
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
JOIN application_version_documents v ON v.document_id = d.id
WHERE v.application_id = $3 AND v.version = $4

    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = d.organization_id AND m.user_id = $1))
ORDER BY d.uploaded_at, d.id

-- An application's documents change only while its full proposal is a draft
-- (invited, in a two-stage round) or more information is requested
-- (policy.Editable, less the concept note, which has no documents; read here
-- in SQL so that the two packages do not depend on each other).

-- name: document-openness
SELECT a.status IN ('draft', 'more_info_requested', 'invited') AS editable, a.status = 'approved' AS approved,
    EXISTS (SELECT 1 FROM reports r WHERE r.application_id = a.id AND r.status = 'accepted') AS report_accepted
FROM applications a
WHERE a.id = $1 AND a.organization_id = $2

-- name: document-openness-for-share
SELECT a.status IN ('draft', 'more_info_requested', 'invited') AS editable, a.status = 'approved' AS approved,
    EXISTS (SELECT 1 FROM reports r WHERE r.application_id = a.id AND r.status = 'accepted') AS report_accepted
FROM applications a
WHERE a.id = $1 AND a.organization_id = $2
FOR SHARE OF a
