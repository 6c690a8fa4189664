-- name: organization-insert
INSERT INTO organizations AS o (legal_name, country, registration_number, address, website, description,
        contact_name, contact_email, contact_phone, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
RETURNING o.id, o.legal_name, o.country, o.registration_number, o.address, o.website, o.description,
    o.contact_name, o.contact_email, o.contact_phone, o.eligible_at, o.created_at

-- name: organization-creator-member-insert
INSERT INTO organization_members (organization_id, user_id, joined_at, signatory)
VALUES ($1, $2, $3, TRUE)

-- The organization $3 for a user ($1): members see their own, the IPA ($2)
-- every one.

-- name: organization-get
SELECT o.id, o.legal_name, o.country, o.registration_number, o.address, o.website, o.description,
    o.contact_name, o.contact_email, o.contact_phone, o.eligible_at, o.created_at
FROM organizations o
WHERE o.id = $3
    AND ((SELECT $2::boolean) OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $1))

-- name: organization-is-member
SELECT EXISTS (SELECT 1 FROM organization_members WHERE organization_id = $1 AND user_id = $2)

-- name: organization-update
UPDATE organizations o
SET legal_name = $3, country = $4, registration_number = $5, address = $6, website = $7,
    description = $8, contact_name = $9, contact_email = $10, contact_phone = $11, updated_at = $12
WHERE o.id = $2
    AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $1)

-- name: organization-members
SELECT m.user_id, u.name, u.email, m.joined_at, m.signatory, o.created_by = m.user_id AS owner
FROM organization_members m
JOIN users u ON u.id = m.user_id
JOIN organizations o ON o.id = m.organization_id
WHERE m.organization_id = $1
ORDER BY u.name

-- name: organization-inviter
SELECT o.legal_name, u.name AS inviter
FROM organizations o
JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $1
JOIN users u ON u.id = $1
WHERE o.id = $2

-- name: organization-invitation-insert
INSERT INTO organization_invitations (organization_id, email, token_hash, invited_by, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)

-- name: organization-invitation-email
SELECT email
FROM organization_invitations
WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2

-- name: organization-invitation-by-token
SELECT i.id, o.legal_name, u.name AS inviter
FROM organization_invitations i
JOIN organizations o ON o.id = i.organization_id
JOIN users u ON u.id = i.invited_by
WHERE i.accepted_at IS NULL AND i.expires_at > $2 AND i.token_hash = $1

-- name: organization-member-join
INSERT INTO organization_members (organization_id, user_id, joined_at)
VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING

-- name: organization-accept-by-token
UPDATE organization_invitations
SET accepted_by = $1, accepted_at = $2
WHERE accepted_at IS NULL AND expires_at > $2 AND token_hash = $3 AND lower(email) = lower($4)
RETURNING organization_id

-- name: organization-accept-by-id
UPDATE organization_invitations
SET accepted_by = $1, accepted_at = $2
WHERE accepted_at IS NULL AND expires_at > $2 AND id = $3 AND lower(email) = lower($4)
RETURNING organization_id

-- name: organization-signatory-owner
SELECT o.created_by
FROM organizations o
JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $2
WHERE o.id = $1
FOR UPDATE OF o

-- name: organization-signatory-update
UPDATE organization_members
SET signatory = $3
WHERE organization_id = $1 AND user_id = $2

-- name: organization-home
-- The charity's home, in one statement: the person's ($1) charities, with
-- only what the page shows of them, and the open invitations sent to their
-- address ($2) from charities they are not in yet; invitation says which a
-- row is. A statement costs the page as much as most of what it reads.
SELECT false AS invitation, o.id, o.legal_name, o.eligible_at, '' AS inviter,
    lower(o.legal_name) AS sort_name, NULL::timestamptz AS sent_at
FROM organizations o
JOIN organization_members m ON m.organization_id = o.id
WHERE m.user_id = $1
UNION ALL
SELECT true, i.id, o.legal_name, NULL, u.name, '', i.created_at
FROM organization_invitations i
JOIN organizations o ON o.id = i.organization_id
JOIN users u ON u.id = i.invited_by
WHERE i.accepted_at IS NULL AND i.expires_at > $3 AND lower(i.email) = lower($2)
    AND NOT EXISTS (SELECT 1 FROM organization_members m JOIN users me ON me.id = m.user_id
    WHERE m.organization_id = i.organization_id AND lower(me.email) = lower($2))
ORDER BY invitation, sort_name, sent_at DESC, id DESC
