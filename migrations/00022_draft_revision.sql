-- +goose Up
-- Drafts never overwrite each other (issue 16). Every save of a draft says
-- which revision it was based on and is written only while that is still
-- the draft's revision (application.SaveDraft), which then counts up.
ALTER TABLE applications ADD COLUMN draft_rev integer NOT NULL DEFAULT 0 CHECK (draft_rev >= 0);

-- The drafts a save replaced, by the revision they had, so that a save
-- based on an older revision can be merged three ways (what it was based
-- on, what is saved now, what the person typed): edits to different fields
-- both stay and only a field both changed is asked about. replaced_at is
-- when the next save replaced it; SaveDraft prunes by it and by count. A
-- base no longer here merges as unknown: every differing field is asked.
CREATE TABLE application_draft_revisions (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    rev            integer NOT NULL CHECK (rev >= 0),
    draft          jsonb NOT NULL,
    replaced_at    timestamptz NOT NULL,
    PRIMARY KEY (application_id, rev)
);

-- +goose Down
DROP TABLE application_draft_revisions;
ALTER TABLE applications DROP COLUMN draft_rev;
