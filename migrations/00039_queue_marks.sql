-- +goose Up
-- Where each board member stands on an application, kept beside it: who
-- reviewed it, who declared on it and who of those has a conflict, who is
-- assigned to review it. The board's queue marks each of its rows for its
-- reader (reviewed by me, recused, declared, assigned to me, still to
-- review); looked up in four tables for each of a page's 26 rows, these
-- marks were more than half of the queue's statement (pgbench at 100,000
-- applications: 0.43 ms for the page of rows with its charities, 0.8 ms
-- with the lookups). Read from the row, they cost nothing more.
--
-- The triggers below change the arrays by difference (add these members,
-- remove those), never by reading the whole table again, so that two
-- members saving at the same moment both stay marked, as 00018's tally.
-- The tables stay the record; the arrays only mirror them, and only the
-- queue reads them (the rules, policy.Load, read the tables).
ALTER TABLE applications
    ADD COLUMN reviewed_by bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN declared_by bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN recused_by  bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN assigned_to bigint[] NOT NULL DEFAULT '{}';

-- +goose StatementBegin
-- A set of members, as a sorted array without repeats.
CREATE FUNCTION marks_add(marks bigint[], ids bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array(SELECT DISTINCT m FROM unnest(marks || ids) m ORDER BY m)
$$;
CREATE FUNCTION marks_remove(marks bigint[], ids bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array(SELECT m FROM unnest(marks) m WHERE m <> ALL(ids) ORDER BY m)
$$;

-- Reviews and assignments: the members of the rows removed leave the
-- array that the trigger's argument names (reviewed_by, assigned_to), those
-- of the rows added join it. A review saved again with other scores, or a
-- reminder sent, changes no member and no application row.
CREATE FUNCTION member_marks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN -- (a separate IF: an INSERT's trigger has no "removed" to plan)
        IF NOT EXISTS (
            (SELECT application_id, user_id FROM added EXCEPT ALL SELECT application_id, user_id FROM removed)
            UNION ALL (SELECT application_id, user_id FROM removed EXCEPT ALL SELECT application_id, user_id FROM added)) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('UPDATE applications a SET %1$I = marks_remove(a.%1$I, d.ids)
            FROM (SELECT application_id, array_agg(user_id) AS ids FROM removed GROUP BY 1) d WHERE a.id = d.application_id', TG_ARGV[0]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('UPDATE applications a SET %1$I = marks_add(a.%1$I, d.ids)
            FROM (SELECT application_id, array_agg(user_id) AS ids FROM added GROUP BY 1) d WHERE a.id = d.application_id', TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;

-- Conflicts: every row declares its member; a row with a conflict recuses
-- them too. A declaration changed from "no conflict" to "conflict" (or
-- back) removes the member and adds them again as the new row says.
CREATE FUNCTION conflicts_marks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (
            (SELECT application_id, user_id, has_conflict FROM added EXCEPT ALL SELECT application_id, user_id, has_conflict FROM removed)
            UNION ALL (SELECT application_id, user_id, has_conflict FROM removed EXCEPT ALL SELECT application_id, user_id, has_conflict FROM added)) THEN
            RETURN NULL; -- a note changed
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE applications a SET declared_by = marks_remove(a.declared_by, d.ids), recused_by = marks_remove(a.recused_by, d.ids)
        FROM (SELECT application_id, array_agg(user_id) AS ids FROM removed GROUP BY 1) d WHERE a.id = d.application_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE applications a SET declared_by = marks_add(a.declared_by, d.ids), recused_by = marks_add(a.recused_by, d.recused)
        FROM (SELECT application_id, array_agg(user_id) AS ids,
                coalesce(array_agg(user_id) FILTER (WHERE has_conflict), '{}') AS recused
              FROM added GROUP BY 1) d WHERE a.id = d.application_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- One trigger per event: a trigger with transition tables may have only one.
CREATE TRIGGER reviews_marks_insert AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_marks('reviewed_by');
CREATE TRIGGER reviews_marks_update AFTER UPDATE ON reviews
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_marks('reviewed_by');
CREATE TRIGGER reviews_marks_delete AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION member_marks('reviewed_by');
CREATE TRIGGER assignments_marks_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_marks('assigned_to');
CREATE TRIGGER assignments_marks_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_marks('assigned_to');
CREATE TRIGGER assignments_marks_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION member_marks('assigned_to');
CREATE TRIGGER conflicts_marks_insert AFTER INSERT ON conflicts
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION conflicts_marks();
CREATE TRIGGER conflicts_marks_update AFTER UPDATE ON conflicts
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION conflicts_marks();
CREATE TRIGGER conflicts_marks_delete AFTER DELETE ON conflicts
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION conflicts_marks();

UPDATE applications a SET reviewed_by = t.ids
FROM (SELECT application_id, array_agg(user_id ORDER BY user_id) AS ids FROM reviews GROUP BY 1) t WHERE a.id = t.application_id;
UPDATE applications a SET assigned_to = t.ids
FROM (SELECT application_id, array_agg(user_id ORDER BY user_id) AS ids FROM assignments GROUP BY 1) t WHERE a.id = t.application_id;
UPDATE applications a SET declared_by = t.ids, recused_by = t.recused
FROM (SELECT application_id, array_agg(user_id ORDER BY user_id) AS ids,
        coalesce(array_agg(user_id ORDER BY user_id) FILTER (WHERE has_conflict), '{}') AS recused
      FROM conflicts GROUP BY 1) t WHERE a.id = t.application_id;

-- +goose Down
DROP TRIGGER conflicts_marks_delete ON conflicts;
DROP TRIGGER conflicts_marks_update ON conflicts;
DROP TRIGGER conflicts_marks_insert ON conflicts;
DROP TRIGGER assignments_marks_delete ON assignments;
DROP TRIGGER assignments_marks_update ON assignments;
DROP TRIGGER assignments_marks_insert ON assignments;
DROP TRIGGER reviews_marks_delete ON reviews;
DROP TRIGGER reviews_marks_update ON reviews;
DROP TRIGGER reviews_marks_insert ON reviews;
DROP FUNCTION conflicts_marks();
DROP FUNCTION member_marks();
DROP FUNCTION marks_remove(bigint[], bigint[]);
DROP FUNCTION marks_add(bigint[], bigint[]);
ALTER TABLE applications DROP COLUMN assigned_to, DROP COLUMN recused_by, DROP COLUMN declared_by, DROP COLUMN reviewed_by;
