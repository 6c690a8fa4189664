-- +goose Up
-- The outcomes page works out every trip's judgement, the funnel and each
-- charity's periods from all accepted reports: at 100,000 applications, a
-- second or more of CPU a view. outcomes.Service keeps what it worked out
-- while nothing it is made of has changed; this counter says when
-- something has.
--
-- A transaction that changes what the page reads moves the counter once,
-- as it commits (a deferred trigger, after its other statements): the
-- counter's row is then the last lock it takes, so two transactions cannot
-- each hold a lock the other waits for (the audit chain's, a row's) while
-- one waits for the counter. A reader that reads the counter and then the
-- data never keeps figures older than the counter it read.
CREATE TABLE outcomes_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    n        bigint NOT NULL
);
INSERT INTO outcomes_version (n) VALUES (0);

-- +goose StatementBegin
CREATE FUNCTION outcomes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once a transaction: the seed writes 300,000 rows of case mix at once.
    IF current_setting('missiongrants.outcomes_changed', true) IS DISTINCT FROM 'yes' THEN
        UPDATE outcomes_version SET n = n + 1;
        PERFORM set_config('missiongrants.outcomes_changed', 'yes', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- What the page reads (outcomes-trips, outcomes-reference): the reports
-- accepted, with their case mix, judged against the reference mortality;
-- each trip's title, charity and end, and each charity's name. A report's
-- draft, or an application's other fields (autosaved often), do not move
-- it.
CREATE CONSTRAINT TRIGGER reports_outcomes_added AFTER INSERT ON reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'accepted')
    EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER reports_outcomes_updated AFTER UPDATE ON reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status = 'accepted' OR NEW.status = 'accepted')
    EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER reports_outcomes_removed AFTER DELETE ON reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status = 'accepted')
    EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER report_case_mix_outcomes AFTER INSERT OR UPDATE OR DELETE ON report_case_mix
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER reference_mortality_outcomes AFTER INSERT OR UPDATE OR DELETE ON reference_mortality
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER organizations_outcomes AFTER UPDATE ON organizations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.legal_name IS DISTINCT FROM NEW.legal_name)
    EXECUTE FUNCTION outcomes_changed();
CREATE CONSTRAINT TRIGGER applications_outcomes AFTER UPDATE ON applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
        OR OLD.trip_end IS DISTINCT FROM NEW.trip_end)
    EXECUTE FUNCTION outcomes_changed();

-- +goose Down
DROP TRIGGER applications_outcomes ON applications;
DROP TRIGGER organizations_outcomes ON organizations;
DROP TRIGGER reference_mortality_outcomes ON reference_mortality;
DROP TRIGGER report_case_mix_outcomes ON report_case_mix;
DROP TRIGGER reports_outcomes_removed ON reports;
DROP TRIGGER reports_outcomes_updated ON reports;
DROP TRIGGER reports_outcomes_added ON reports;
DROP FUNCTION outcomes_changed();
DROP TABLE outcomes_version;
