-- +goose Up
-- The board's page of an application shows the charity's other
-- applications sent, newest first, with their awards (application-history,
-- "others"). Read from the table, each was a heap page of its own and an
-- award looked up in another: about half a millisecond of the page's
-- PostgreSQL time for a charity with twenty applications (pgbench, 100,000
-- applications). Both are now read from indexes alone, in the order shown.
CREATE INDEX applications_organization_sent_idx ON applications (organization_id, submitted_at DESC, id DESC)
    INCLUDE (status, title) WHERE version > 0;

-- The award of an application is unique by its index, which now also
-- carries what the record shows of it.
CREATE UNIQUE INDEX awards_application_amounts_key ON awards (application_id) INCLUDE (amount_cents, paid_cents);
ALTER TABLE awards DROP CONSTRAINT awards_application_id_key,
    ADD CONSTRAINT awards_application_id_key UNIQUE USING INDEX awards_application_amounts_key;

-- +goose Down
CREATE UNIQUE INDEX awards_application_id_only_key ON awards (application_id);
ALTER TABLE awards DROP CONSTRAINT awards_application_id_key,
    ADD CONSTRAINT awards_application_id_key UNIQUE USING INDEX awards_application_id_only_key;
DROP INDEX applications_organization_sent_idx;
