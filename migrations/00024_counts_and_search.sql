-- +goose Up
-- Two costs that grew with the data.
--
-- 1. The admin dashboard counted every application by round and status,
-- summed every award by year, and counted the reports overdue, at each
-- view: at 100,000 applications most of the page's time. The counts and sums are kept here instead, changed by the
-- triggers below by difference (n = n + 1, never a recount) with INSERT … ON
-- CONFLICT DO UPDATE, so that transactions changing the same figure at the
-- same moment all count (the row lock orders them). Each trigger changes
-- its keys in key order, so two single-row moves in opposite directions
-- cannot deadlock on the counters (many-row updates in one transaction
-- still may, and PostgreSQL then ends one of them). A figure of 0 stays as
-- a row; readers skip it. migrations/counts_test.go checks them against a
-- recount. (The votes open are not kept so: a single counter row would be
-- locked by opening a vote after the application's counts, and by closing
-- one before them, and two admins doing both at once could deadlock. Open
-- votes are work in progress, not history: vote.OpenVotes counts them from
-- their partial index.)
LOCK TABLE applications, awards IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE application_counts (
    round_id bigint NOT NULL,
    status   text NOT NULL,
    n        bigint NOT NULL CHECK (n >= 0),
    PRIMARY KEY (round_id, status)
);
INSERT INTO application_counts SELECT round_id, status, count(*) FROM applications GROUP BY 1, 2;

CREATE TABLE award_years (
    year          integer PRIMARY KEY,
    awarded_cents bigint NOT NULL CHECK (awarded_cents >= 0),
    paid_cents    bigint NOT NULL CHECK (paid_cents >= 0)
);
INSERT INTO award_years SELECT year, sum(amount_cents), sum(paid_cents) FROM awards GROUP BY 1;

-- The reports owed, by the day the trip ended: a report is overdue some days
-- after, so the dashboard sums the days before a date (one row a day that
-- owes reports, not one an application).
CREATE TABLE owed_reports (
    trip_end date PRIMARY KEY,
    n        bigint NOT NULL CHECK (n >= 0)
);
INSERT INTO owed_reports SELECT trip_end, count(*) FROM applications
WHERE status = 'approved' AND NOT report_in AND trip_end IS NOT NULL GROUP BY 1;

-- +goose StatementBegin
-- Inserts and deletes, whole statements at once: the seed and the tests
-- insert thousands of rows in one statement.
CREATE FUNCTION application_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_counts AS c (round_id, status, n)
        SELECT round_id, status, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (round_id, status) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO owed_reports AS r (trip_end, n)
        SELECT trip_end, count(*) FROM added WHERE status = 'approved' AND NOT report_in AND trip_end IS NOT NULL GROUP BY 1 ORDER BY 1
        ON CONFLICT (trip_end) DO UPDATE SET n = r.n + excluded.n;
    ELSE
        UPDATE application_counts c SET n = c.n - d.n
        FROM (SELECT round_id, status, count(*) AS n FROM removed GROUP BY 1, 2 ORDER BY 1, 2) d
        WHERE c.round_id = d.round_id AND c.status = d.status;
        UPDATE owed_reports r SET n = r.n - d.n
        FROM (SELECT trip_end, count(*) AS n FROM removed WHERE status = 'approved' AND NOT report_in AND trip_end IS NOT NULL
              GROUP BY 1 ORDER BY 1) d
        WHERE r.trip_end = d.trip_end;
        -- Days left owing none (rows this statement holds locked).
        DELETE FROM owed_reports WHERE n = 0 AND trip_end IN (SELECT trip_end FROM removed);
    END IF;
    RETURN NULL;
END
$$;

-- A change of round or status, row by row: the WHEN of its trigger skips
-- the many updates that change neither (drafts saved, tallies, reports).
-- The decrement is an UPDATE, never part of an upsert: PostgreSQL checks
-- the CHECK on the row an upsert proposes, -1, before it finds the
-- conflict. The two keys are changed in key order.
CREATE FUNCTION application_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.round_id, OLD.status) < (NEW.round_id, NEW.status) THEN
        UPDATE application_counts SET n = n - 1 WHERE round_id = OLD.round_id AND status = OLD.status;
    END IF;
    INSERT INTO application_counts AS c (round_id, status, n) VALUES (NEW.round_id, NEW.status, 1)
    ON CONFLICT (round_id, status) DO UPDATE SET n = c.n + 1;
    IF (OLD.round_id, OLD.status) > (NEW.round_id, NEW.status) THEN
        UPDATE application_counts SET n = n - 1 WHERE round_id = OLD.round_id AND status = OLD.status;
    END IF;
    RETURN NULL;
END
$$;

-- One report fewer owed for trips that ended on day; a day that owes none
-- is removed, so the days summed are those with reports owed, not every
-- day since the first trip. (An upsert meeting a row deleted meanwhile
-- inserts it again: PostgreSQL retries ON CONFLICT.)
CREATE FUNCTION owed_reports_less(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    left_owed bigint;
BEGIN
    -- Decremented first, so the row is locked when it is found empty: a
    -- concurrent decrement of the same day cannot find it gone (the day
    -- would still owe that one's report).
    UPDATE owed_reports SET n = n - 1 WHERE trip_end = day RETURNING n INTO left_owed;
    IF left_owed = 0 THEN
        DELETE FROM owed_reports WHERE trip_end = day;
    END IF;
END
$$;

-- A report owed, or no longer: approved, reported on (report_in, kept by
-- 00016's trigger), or the trip's end moved.
CREATE FUNCTION owed_reports_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owed_before boolean := OLD.status = 'approved' AND NOT OLD.report_in AND OLD.trip_end IS NOT NULL;
    owed_after  boolean := NEW.status = 'approved' AND NOT NEW.report_in AND NEW.trip_end IS NOT NULL;
BEGIN
    IF owed_before AND (NOT owed_after OR OLD.trip_end < NEW.trip_end) THEN
        PERFORM owed_reports_less(OLD.trip_end);
    END IF;
    IF owed_after AND (NOT owed_before OR OLD.trip_end <> NEW.trip_end) THEN
        INSERT INTO owed_reports AS r (trip_end, n) VALUES (NEW.trip_end, 1)
        ON CONFLICT (trip_end) DO UPDATE SET n = r.n + 1;
    END IF;
    IF owed_before AND owed_after AND OLD.trip_end > NEW.trip_end THEN
        PERFORM owed_reports_less(OLD.trip_end);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION award_years_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO award_years AS y (year, awarded_cents, paid_cents)
        SELECT year, sum(amount_cents), sum(paid_cents) FROM added GROUP BY 1 ORDER BY 1
        ON CONFLICT (year) DO UPDATE SET awarded_cents = y.awarded_cents + excluded.awarded_cents, paid_cents = y.paid_cents + excluded.paid_cents;
    ELSE
        UPDATE award_years y SET awarded_cents = y.awarded_cents - d.awarded, paid_cents = y.paid_cents - d.paid
        FROM (SELECT year, sum(amount_cents) AS awarded, sum(paid_cents) AS paid FROM removed GROUP BY 1 ORDER BY 1) d
        WHERE y.year = d.year;
    END IF;
    RETURN NULL;
END
$$;

-- Payments change awards.paid_cents (migrations/00011_awards.sql), so a
-- payment reaches its year through here. As above: decrements by UPDATE,
-- years in order.
CREATE FUNCTION award_years_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.year = NEW.year THEN
        UPDATE award_years SET awarded_cents = awarded_cents + NEW.amount_cents - OLD.amount_cents,
            paid_cents = paid_cents + NEW.paid_cents - OLD.paid_cents WHERE year = NEW.year;
        RETURN NULL;
    END IF;
    IF OLD.year < NEW.year THEN
        UPDATE award_years SET awarded_cents = awarded_cents - OLD.amount_cents, paid_cents = paid_cents - OLD.paid_cents WHERE year = OLD.year;
    END IF;
    INSERT INTO award_years AS y (year, awarded_cents, paid_cents) VALUES (NEW.year, NEW.amount_cents, NEW.paid_cents)
    ON CONFLICT (year) DO UPDATE SET awarded_cents = y.awarded_cents + excluded.awarded_cents, paid_cents = y.paid_cents + excluded.paid_cents;
    IF OLD.year > NEW.year THEN
        UPDATE award_years SET awarded_cents = awarded_cents - OLD.amount_cents, paid_cents = paid_cents - OLD.paid_cents WHERE year = OLD.year;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION application_counts_change();
CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION application_counts_change();
CREATE TRIGGER application_counts_update AFTER UPDATE OF round_id, status ON applications
    FOR EACH ROW WHEN (OLD.round_id IS DISTINCT FROM NEW.round_id OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION application_counts_move();
CREATE TRIGGER owed_reports_update AFTER UPDATE OF status, report_in, trip_end ON applications
    FOR EACH ROW WHEN ((OLD.status, OLD.report_in, OLD.trip_end) IS DISTINCT FROM (NEW.status, NEW.report_in, NEW.trip_end))
    EXECUTE FUNCTION owed_reports_move();
CREATE TRIGGER award_years_insert AFTER INSERT ON awards
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION award_years_change();
CREATE TRIGGER award_years_delete AFTER DELETE ON awards
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION award_years_change();
CREATE TRIGGER award_years_update AFTER UPDATE OF year, amount_cents, paid_cents ON awards
    FOR EACH ROW WHEN (OLD.year IS DISTINCT FROM NEW.year OR OLD.amount_cents IS DISTINCT FROM NEW.amount_cents
        OR OLD.paid_cents IS DISTINCT FROM NEW.paid_cents)
    EXECUTE FUNCTION award_years_move();

-- The dashboard's first votes to close, from an index in that order: with
-- votes_closes_idx (closes_at alone) PostgreSQL read every open vote to
-- order those closing at the same moment by id.
CREATE INDEX votes_open_idx ON votes (closes_at, id) WHERE closed_at IS NULL;
DROP INDEX votes_closes_idx;

-- 2. The queue's search matches without accents ("mision" finds "Misión"),
-- through trigram indexes on the folded text. unaccent() is only STABLE
-- (its dictionary could be changed), so neither an index nor a generated
-- column may use it; search_fold names the dictionary and the extension's
-- schema and is declared IMMUTABLE, the usual way. (Were the dictionary ever
-- changed, the columns below would need recomputing.)
-- +goose StatementBegin
CREATE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1))
$$;
-- +goose StatementEnd
-- The folded text is stored, not only indexed: a trigram index only
-- narrows a LIKE to candidates, each checked again, and checking a stored
-- column is a plain comparison where an expression index would fold every
-- candidate's title again (111 of them for "Mission 000001" at 1,000
-- applications, most of the search's time).
ALTER TABLE applications ADD COLUMN search_title text GENERATED ALWAYS AS (search_fold(title)) STORED;
ALTER TABLE organizations ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(legal_name)) STORED;
-- fastupdate off: with it, rows inserted since the last vacuum wait in a
-- pending list that every search reads whole (up to 4 MB), so a search got
-- slower the more was written.
CREATE INDEX applications_title_fold_idx ON applications USING gin (search_title gin_trgm_ops)
    WITH (fastupdate = off) WHERE version > 0;
CREATE INDEX organizations_name_fold_idx ON organizations USING gin (search_name gin_trgm_ops)
    WITH (fastupdate = off);
DROP INDEX applications_title_trgm_idx;
DROP INDEX organizations_name_trgm_idx;

-- +goose Down
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (legal_name gin_trgm_ops);
CREATE INDEX applications_title_trgm_idx ON applications USING gin (title gin_trgm_ops);
CREATE INDEX votes_closes_idx ON votes (closes_at) WHERE closed_at IS NULL;
DROP INDEX votes_open_idx;
DROP INDEX organizations_name_fold_idx;
DROP INDEX applications_title_fold_idx;
ALTER TABLE organizations DROP COLUMN search_name;
ALTER TABLE applications DROP COLUMN search_title;
DROP FUNCTION search_fold(text);
DROP TRIGGER owed_reports_update ON applications;
DROP TRIGGER award_years_update ON awards;
DROP TRIGGER award_years_delete ON awards;
DROP TRIGGER award_years_insert ON awards;
DROP TRIGGER application_counts_update ON applications;
DROP TRIGGER application_counts_delete ON applications;
DROP TRIGGER application_counts_insert ON applications;
DROP FUNCTION owed_reports_move();
DROP FUNCTION owed_reports_less(date);
DROP FUNCTION award_years_move();
DROP FUNCTION award_years_change();
DROP FUNCTION application_counts_move();
DROP FUNCTION application_counts_change();
DROP TABLE owed_reports;
DROP TABLE award_years;
DROP TABLE application_counts;
