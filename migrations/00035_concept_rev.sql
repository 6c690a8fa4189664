-- +goose Up
-- The concept note's revision (concept.go): each save of the note counts it
-- up, and the note's autosave is written only while the note is still at
-- the revision its page was based on, so that it never overwrites unseen
-- what a colleague saved meanwhile (as the full form's draft_rev does).
ALTER TABLE applications ADD COLUMN concept_rev integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE applications DROP COLUMN concept_rev;
