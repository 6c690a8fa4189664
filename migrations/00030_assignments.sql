-- +goose Up
-- Assigned reviewers and conflicts known ahead (issue 22). An admin assigns
-- board members to review an application; the round says how many, by
-- when, and whose scores count. A board member may declare a standing
-- conflict with a charity, which recuses them from every application of
-- it, present and future, until an admin withdraws it.

-- The round's review settings, in one block.
ALTER TABLE funding_rounds
    ADD COLUMN reviewers_per_application integer NOT NULL DEFAULT 3 CHECK (reviewers_per_application BETWEEN 1 AND 12),
    ADD COLUMN review_deadline date,
    ADD COLUMN review_reminder_days integer NOT NULL DEFAULT 3 CHECK (review_reminder_days BETWEEN 0 AND 60),
    -- 'everyone': every board member's scores count; 'assigned': only the
    -- assigned reviewers' (everyone may still read, review and vote).
    ADD COLUMN scores_from text NOT NULL DEFAULT 'everyone' CHECK (scores_from IN ('everyone', 'assigned'));

-- A board member's standing conflict with a charity, with why, until an
-- admin (never the member) withdraws it, with why.
CREATE TABLE standing_conflicts (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users,
    organization_id bigint NOT NULL REFERENCES organizations,
    reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    declared_at     timestamptz NOT NULL,
    withdrawn_at    timestamptz,
    withdrawn_by    bigint REFERENCES users,
    withdraw_reason text CHECK (length(btrim(withdraw_reason)) BETWEEN 1 AND 2000),
    CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
    CONSTRAINT standing_withdrawn_by_another CHECK (withdrawn_by <> user_id)
);
CREATE UNIQUE INDEX standing_conflicts_active_idx ON standing_conflicts (organization_id, user_id) WHERE withdrawn_at IS NULL;
CREATE INDEX standing_conflicts_user_idx ON standing_conflicts (user_id) WHERE withdrawn_at IS NULL;

-- The conflicts a standing conflict recorded on each application: the
-- withdrawal takes back those, and only those.
ALTER TABLE conflicts ADD COLUMN standing_id bigint REFERENCES standing_conflicts;
CREATE INDEX conflicts_standing_idx ON conflicts (standing_id) WHERE standing_id IS NOT NULL;

-- +goose StatementBegin
-- A standing conflict is a declared conflict on every application of the
-- charity: recorded on those that exist when it is declared (here) and on
-- those created later (applications_standing_conflicts), so that every rule
-- that reads conflicts (policy, votes' quorum, ballots, money, the queue)
-- sees it. The charity's row is locked so that an application created at
-- the same moment is seen by one trigger or the other.
CREATE FUNCTION standing_conflicts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM organizations WHERE id = NEW.organization_id FOR UPDATE;
        INSERT INTO conflicts AS c (application_id, user_id, has_conflict, note, declared_at, recorded_by, standing_id)
        SELECT a.id, NEW.user_id, true, left(NEW.reason, 2000), NEW.declared_at, NEW.user_id, NEW.id
        FROM applications a WHERE a.organization_id = NEW.organization_id
        ON CONFLICT (application_id, user_id) DO UPDATE
            SET has_conflict = true, note = EXCLUDED.note, declared_at = EXCLUDED.declared_at,
                standing_id = CASE WHEN c.has_conflict THEN c.standing_id ELSE EXCLUDED.standing_id END;
    ELSIF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL THEN
        DELETE FROM conflicts WHERE standing_id = NEW.id;
    ELSIF OLD.withdrawn_at IS NOT NULL OR NEW.user_id <> OLD.user_id OR NEW.organization_id <> OLD.organization_id
          OR NEW.reason <> OLD.reason OR NEW.declared_at <> OLD.declared_at THEN
        RAISE EXCEPTION 'standing conflict % changes only by its withdrawal', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'standing_final';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION applications_standing_conflicts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by, standing_id)
    SELECT NEW.id, s.user_id, true, left(s.reason, 2000), s.declared_at, s.user_id, s.id
    FROM standing_conflicts s WHERE s.organization_id = NEW.organization_id AND s.withdrawn_at IS NULL;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER standing_conflicts_apply AFTER INSERT OR UPDATE ON standing_conflicts
    FOR EACH ROW EXECUTE FUNCTION standing_conflicts_apply();
CREATE TRIGGER standing_conflicts_refuse_delete BEFORE DELETE ON standing_conflicts
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER applications_standing_conflicts AFTER INSERT ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_standing_conflicts();

-- +goose StatementBegin
-- The last line of recusal (00021_rules.sql) reads standing conflicts too,
-- should a conflict row ever be missing.
CREATE OR REPLACE FUNCTION refuse_recused(app bigint, who bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM conflicts WHERE application_id = app AND user_id = who AND has_conflict)
       OR EXISTS (SELECT 1 FROM standing_conflicts s JOIN applications a ON a.organization_id = s.organization_id
                  WHERE a.id = app AND s.user_id = who AND s.withdrawn_at IS NULL) THEN
        RAISE EXCEPTION 'user % is recused from application %', who, app
            USING ERRCODE = 'check_violation', CONSTRAINT = 'not_recused';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = who AND is_admin AND active) THEN
        RAISE EXCEPTION 'user % is not an active admin', who USING ERRCODE = 'check_violation', CONSTRAINT = 'admin_only';
    END IF;
END
$$;

-- A ballot, as before (00007_board.sql), and never from a member with a
-- standing conflict with the charity.
CREATE OR REPLACE FUNCTION ballots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v votes%ROWTYPE;
BEGIN
    SELECT * INTO v FROM votes WHERE id = COALESCE(NEW.vote_id, OLD.vote_id);
    IF v.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'vote % is closed', v.id USING ERRCODE = 'check_violation', CONSTRAINT = 'ballot_vote_open';
    END IF;
    IF TG_OP <> 'DELETE' AND (NOT EXISTS (
        SELECT 1 FROM conflicts c JOIN users u ON u.id = c.user_id
        WHERE c.application_id = v.application_id AND c.user_id = NEW.user_id AND NOT c.has_conflict AND u.is_board AND u.active
    ) OR EXISTS (SELECT 1 FROM standing_conflicts s JOIN applications a ON a.organization_id = s.organization_id
                 WHERE a.id = v.application_id AND s.user_id = NEW.user_id AND s.withdrawn_at IS NULL)) THEN
        RAISE EXCEPTION 'user % may not vote on application %', NEW.user_id, v.application_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ballot_voter_eligible';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
-- +goose StatementEnd

-- A board member assigned to review an application, by whom and when;
-- reminded_at: when they were reminded of the review deadline (once).
CREATE TABLE assignments (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    user_id        bigint NOT NULL REFERENCES users,
    assigned_by    bigint NOT NULL REFERENCES users,
    assigned_at    timestamptz NOT NULL,
    reminded_at    timestamptz,
    PRIMARY KEY (application_id, user_id)
);
CREATE INDEX assignments_user_idx ON assignments (user_id);

-- +goose StatementBegin
-- The last line of assignment (policy.BeAssigned is the first): an active
-- board member, not of the charity, with no conflict on the application
-- nor a standing one with the charity.
CREATE FUNCTION assignments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND is_board AND active)
       OR EXISTS (SELECT 1 FROM organization_members m JOIN applications a ON a.organization_id = m.organization_id
                  WHERE a.id = NEW.application_id AND m.user_id = NEW.user_id)
       OR EXISTS (SELECT 1 FROM conflicts WHERE application_id = NEW.application_id AND user_id = NEW.user_id AND has_conflict)
       OR EXISTS (SELECT 1 FROM standing_conflicts s JOIN applications a ON a.organization_id = s.organization_id
                  WHERE a.id = NEW.application_id AND s.user_id = NEW.user_id AND s.withdrawn_at IS NULL) THEN
        RAISE EXCEPTION 'user % may not review application %', NEW.user_id, NEW.application_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'assignee_free';
    END IF;
    RETURN NEW;
END
$$;

-- A conflict recorded on an application ends the member's assignment to it.
CREATE FUNCTION conflicts_unassign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.has_conflict THEN
        DELETE FROM assignments WHERE application_id = NEW.application_id AND user_id = NEW.user_id;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER assignments_guard BEFORE INSERT OR UPDATE OF application_id, user_id ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_guard();
CREATE TRIGGER conflicts_unassign AFTER INSERT OR UPDATE ON conflicts
    FOR EACH ROW EXECUTE FUNCTION conflicts_unassign();

-- +goose Down
DROP TRIGGER conflicts_unassign ON conflicts;
DROP FUNCTION conflicts_unassign();
DROP TABLE assignments;
DROP FUNCTION assignments_guard();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ballots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v votes%ROWTYPE;
BEGIN
    SELECT * INTO v FROM votes WHERE id = COALESCE(NEW.vote_id, OLD.vote_id);
    IF v.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'vote % is closed', v.id USING ERRCODE = 'check_violation', CONSTRAINT = 'ballot_vote_open';
    END IF;
    IF TG_OP <> 'DELETE' AND NOT EXISTS (
        SELECT 1 FROM conflicts c JOIN users u ON u.id = c.user_id
        WHERE c.application_id = v.application_id AND c.user_id = NEW.user_id AND NOT c.has_conflict AND u.is_board AND u.active
    ) THEN
        RAISE EXCEPTION 'user % may not vote on application %', NEW.user_id, v.application_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ballot_voter_eligible';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
CREATE OR REPLACE FUNCTION refuse_recused(app bigint, who bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM conflicts WHERE application_id = app AND user_id = who AND has_conflict) THEN
        RAISE EXCEPTION 'user % is recused from application %', who, app
            USING ERRCODE = 'check_violation', CONSTRAINT = 'not_recused';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = who AND is_admin AND active) THEN
        RAISE EXCEPTION 'user % is not an active admin', who USING ERRCODE = 'check_violation', CONSTRAINT = 'admin_only';
    END IF;
END
$$;
-- +goose StatementEnd
DROP TRIGGER applications_standing_conflicts ON applications;
DROP FUNCTION applications_standing_conflicts();
ALTER TABLE conflicts DROP COLUMN standing_id;
DROP TABLE standing_conflicts;
DROP FUNCTION standing_conflicts_apply();
ALTER TABLE funding_rounds DROP COLUMN scores_from, DROP COLUMN review_reminder_days, DROP COLUMN review_deadline,
    DROP COLUMN reviewers_per_application;
