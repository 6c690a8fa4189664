-- +goose Up
-- A charity's home lists the open invitations sent to the person's address
-- (organization.InvitationsFor): found by address, not read table-wide.
CREATE INDEX organization_invitations_open_idx ON organization_invitations (lower(email)) WHERE accepted_at IS NULL;

-- +goose Down
DROP INDEX organization_invitations_open_idx;
