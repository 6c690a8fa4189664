-- +goose Up
-- A payment may carry its receipt, a document an admin uploads for the
-- charity's application.
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('charitable_status', 'budget_sheet', 'host_agreement',
    'team_licence', 'outcome_report', 'other', 'receipt'));

-- +goose Down
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('charitable_status', 'budget_sheet', 'host_agreement',
    'team_licence', 'outcome_report', 'other'));
