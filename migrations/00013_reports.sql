-- +goose Up
-- Post-trip reports: what a funded trip achieved. The figures are kept as
-- typed in data while the charity writes; submission checks them against
-- each other and copies them into columns, which the impact totals sum.
CREATE TABLE reports (
    id                 bigserial PRIMARY KEY,
    application_id     bigint NOT NULL UNIQUE REFERENCES applications,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'corrections_requested', 'accepted')),
    data               jsonb NOT NULL DEFAULT '{}'::jsonb,
    patients           integer CHECK (patients >= 0),
    pediatric          integer CHECK (pediatric >= 0),
    open_heart         integer CHECK (open_heart >= 0),
    bypass             integer CHECK (bypass >= 0),
    interventional     integer CHECK (interventional >= 0),
    deaths             integer CHECK (deaths >= 0),
    submitted_at       timestamptz,
    accepted_at        timestamptz,
    accepted_by        bigint REFERENCES users,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (bypass IS NULL OR open_heart IS NULL OR bypass <= open_heart),
    CHECK (status <> 'accepted' OR (accepted_at IS NOT NULL AND patients IS NOT NULL))
);

-- Reminders sent, one row each, so two processes never send one twice.
CREATE TABLE report_reminders (
    application_id bigint NOT NULL REFERENCES applications,
    kind           text NOT NULL CHECK (kind IN ('before', 'after')),
    sent_at        timestamptz NOT NULL,
    PRIMARY KEY (application_id, kind)
);

-- +goose Down
DROP TABLE report_reminders;
DROP TABLE reports;
