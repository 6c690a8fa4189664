-- +goose Up
-- Which approved applications still owe their post-trip report. The
-- admins' dashboard and screening ask on every view; finding them by
-- checking every approved application against the reports grew with the
-- years. report_in is kept by the trigger below, whoever changes a report,
-- and the partial index holds only the applications still owing one.
ALTER TABLE applications ADD COLUMN report_in boolean NOT NULL DEFAULT false;
UPDATE applications a SET report_in = true
WHERE EXISTS (SELECT 1 FROM reports r WHERE r.application_id = a.id AND r.status IN ('submitted', 'accepted'));

-- +goose StatementBegin
CREATE FUNCTION reports_mark_application() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications SET report_in = NEW.status IN ('submitted', 'accepted')
    WHERE id = NEW.application_id AND report_in IS DISTINCT FROM (NEW.status IN ('submitted', 'accepted'));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reports_mark_application AFTER INSERT OR UPDATE OF status ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_mark_application();
CREATE INDEX applications_report_owed_idx ON applications (trip_end, id) WHERE status = 'approved' AND NOT report_in;

-- +goose Down
DROP INDEX applications_report_owed_idx;
DROP TRIGGER reports_mark_application ON reports;
DROP FUNCTION reports_mark_application();
ALTER TABLE applications DROP COLUMN report_in;
