-- +goose Up
-- Funding rounds, applications, their submitted versions, their history and
-- the message thread between a charity and the IPA.
CREATE TABLE funding_rounds (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    rolling      boolean NOT NULL DEFAULT false,
    opens_on     date,
    closes_on    date,
    budget_cents bigint NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),
    currency     text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    -- Help texts for the application's questions, by language then field.
    help         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (rolling OR (opens_on IS NOT NULL AND closes_on IS NOT NULL AND closes_on >= opens_on))
);

CREATE TABLE applications (
    id              bigserial PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations,
    round_id        bigint NOT NULL REFERENCES funding_rounds,
    status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'withdrawn', 'more_info_requested', 'in_review', 'approved', 'declined')),
    -- The form as being edited, values as typed.
    draft           jsonb NOT NULL DEFAULT '{}'::jsonb,
    draft_saved_at  timestamptz,
    -- The latest submitted version, and copies of what the board filters on.
    version         integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    title           text NOT NULL DEFAULT '',
    country         text NOT NULL DEFAULT '',
    trip_start      date,
    trip_end        date,
    amount_requested_cents bigint NOT NULL DEFAULT 0 CHECK (amount_requested_cents >= 0),
    currency        text NOT NULL DEFAULT 'USD',
    submitted_at    timestamptz,
    created_by      bigint NOT NULL REFERENCES users,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'draft' OR version > 0 OR status = 'withdrawn')
);
CREATE INDEX applications_organization_idx ON applications (organization_id, created_at DESC);
CREATE INDEX applications_status_idx ON applications (status, submitted_at DESC, id DESC);

-- What the board reviews: each submission frozen, never changed.
CREATE TABLE application_versions (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version > 0),
    data           jsonb NOT NULL,
    submitted_by   bigint NOT NULL REFERENCES users,
    submitted_at   timestamptz NOT NULL,
    PRIMARY KEY (application_id, version)
);

-- The timeline: every move of the state machine and every message.
CREATE TABLE application_events (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    at             timestamptz NOT NULL,
    actor_id       bigint REFERENCES users,
    event          text NOT NULL,
    from_status    text,
    to_status      text,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 10000)
);
CREATE INDEX application_events_app_idx ON application_events (application_id, at, id);

CREATE TABLE application_messages (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    author_id      bigint NOT NULL REFERENCES users,
    from_ipa       boolean NOT NULL,
    body           text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 10000),
    created_at     timestamptz NOT NULL
);
CREATE INDEX application_messages_app_idx ON application_messages (application_id, created_at, id);

-- +goose Down
DROP TABLE application_messages;
DROP TABLE application_events;
DROP TABLE application_versions;
DROP TABLE applications;
DROP TABLE funding_rounds;
