-- name: document-missing
-- The kinds of current document each of applications $1 has, its own or
-- its organization's.
SELECT DISTINCT a.id AS application_id, d.kind
FROM applications a
JOIN documents d ON d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id)
WHERE a.id = ANY($1::bigint[]) AND d.removed_at IS NULL
    AND (d.licence_expires_on IS NULL OR d.licence_expires_on >= current_date)

-- name: document-freeze
INSERT INTO application_version_documents (application_id, version, document_id)
SELECT a.id, $2, d.id
FROM documents d
JOIN applications a ON a.id = $1
WHERE d.removed_at IS NULL

    AND (d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id))

-- name: document-licence-expiring-before
SELECT d.id, d.organization_id, d.application_id, d.kind, d.filename, d.content_type, d.size_bytes,
    d.sha256,
    d.storage_key, d.licence_expires_on, d.uploaded_by, d.uploaded_at, d.removed_at, d.replaced_by
FROM documents d
JOIN applications a ON a.id = $1
WHERE d.removed_at IS NULL AND d.kind = 'team_licence' AND d.licence_expires_on < $2

    AND (d.application_id = a.id OR (d.application_id IS NULL AND d.organization_id = a.organization_id))
ORDER BY d.licence_expires_on, d.id
