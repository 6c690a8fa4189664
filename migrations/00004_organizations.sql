-- +goose Up
-- Charities and their people. Everything an organization owns hangs off it,
-- and is visible to its members and to the IPA only.
CREATE TABLE organizations (
    id                  bigserial PRIMARY KEY,
    legal_name          text NOT NULL CHECK (length(btrim(legal_name)) BETWEEN 1 AND 300),
    country             text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    registration_number text NOT NULL CHECK (length(btrim(registration_number)) BETWEEN 1 AND 100),
    address             text NOT NULL DEFAULT '' CHECK (length(address) <= 1000),
    website             text NOT NULL DEFAULT '' CHECK (length(website) <= 500),
    description         text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    contact_name        text NOT NULL DEFAULT '' CHECK (length(contact_name) <= 200),
    contact_email       text NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    contact_phone       text NOT NULL DEFAULT '' CHECK (length(contact_phone) <= 50),
    -- The answers of the eligibility check, and when it was passed.
    eligibility         jsonb NOT NULL DEFAULT '{}'::jsonb,
    eligible_at         timestamptz,
    created_by          bigint NOT NULL REFERENCES users,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_name_idx ON organizations (lower(legal_name));

CREATE TABLE organization_members (
    organization_id bigint NOT NULL REFERENCES organizations ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    joined_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user_idx ON organization_members (user_id);

-- Colleagues invited by a member; they join by the emailed link once logged in.
CREATE TABLE organization_invitations (
    id              bigserial PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations ON DELETE CASCADE,
    email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    invited_by      bigint NOT NULL REFERENCES users,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    accepted_by     bigint REFERENCES users,
    accepted_at     timestamptz,
    CHECK ((accepted_by IS NULL) = (accepted_at IS NULL))
);

-- +goose Down
DROP TABLE organization_invitations;
DROP TABLE organization_members;
DROP TABLE organizations;
