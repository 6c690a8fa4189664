-- +goose Up
-- The process's rules as the database's last line (package policy is the
-- first): the award follows the board's decision; a person recused from an
-- application moves none of its money and opens or closes none of its
-- votes; a payment waiting for approval already holds its share of what is
-- due, and can be cancelled instead of staying stuck.

-- A vote that approves records the amount it approved.
ALTER TABLE votes ADD COLUMN approved_cents bigint CHECK (approved_cents > 0);
UPDATE votes SET approved_cents = proposed_cents WHERE decision = 'approved';
ALTER TABLE votes ADD CONSTRAINT vote_approved_amount CHECK ((decision = 'approved') = (approved_cents IS NOT NULL));

-- An award names the vote that approved it.
ALTER TABLE awards ADD COLUMN vote_id bigint REFERENCES votes;
UPDATE awards w SET vote_id = (SELECT v.id FROM votes v WHERE v.application_id = w.application_id AND v.decision = 'approved'
    ORDER BY v.id DESC LIMIT 1);
ALTER TABLE awards ALTER COLUMN vote_id SET NOT NULL;

-- What payments waiting for a second admin hold of an instalment: with what
-- is paid, never more than the instalment (existing rows are not checked).
ALTER TABLE instalments ADD COLUMN pending_cents bigint NOT NULL DEFAULT 0 CHECK (pending_cents >= 0);
UPDATE instalments i SET pending_cents = coalesce((SELECT sum(p.amount_cents) FROM payments p
    WHERE p.instalment_id = i.id AND p.needs_approval AND NOT EXISTS (SELECT 1 FROM payment_approvals pa WHERE pa.payment_id = p.id)), 0);
ALTER TABLE instalments ADD CONSTRAINT instalment_not_overcommitted CHECK (paid_cents + pending_cents <= amount_cents) NOT VALID;

-- A payment waiting for approval that an admin stopped, with why.
CREATE TABLE payment_cancellations (
    payment_id   bigint PRIMARY KEY REFERENCES payments,
    cancelled_by bigint NOT NULL REFERENCES users,
    reason       text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    cancelled_at timestamptz NOT NULL
);
CREATE TRIGGER cancellations_append_only BEFORE UPDATE OR DELETE ON payment_cancellations
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- +goose StatementBegin
-- refuse_recused raises unless user acts as an active admin with no
-- conflict declared on application app.
CREATE FUNCTION refuse_recused(app bigint, who bigint) RETURNS void LANGUAGE plpgsql AS $$
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

-- An award names its application's latest vote, which approved it, and
-- does not exceed what that vote approved.
CREATE FUNCTION awards_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v votes%ROWTYPE;
BEGIN
    SELECT * INTO v FROM votes WHERE id = NEW.vote_id;
    IF v.application_id IS DISTINCT FROM NEW.application_id OR v.decision IS DISTINCT FROM 'approved' OR NEW.amount_cents > v.approved_cents
       OR v.id IS DISTINCT FROM (SELECT max(id) FROM votes WHERE application_id = NEW.application_id) THEN
        RAISE EXCEPTION 'award % exceeds what vote % approved, or names a vote a later one superseded', NEW.id, NEW.vote_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'award_within_vote';
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM refuse_recused(NEW.application_id, NEW.created_by);
    END IF;
    RETURN NEW;
END
$$;

-- A closed vote is final: rewriting its decision or approved amount would
-- let a larger award through.
CREATE FUNCTION votes_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'vote % is closed: it never changes', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_final';
    END IF;
    RETURN NEW;
END
$$;

-- A vote is opened and closed early by an admin not recused; closed by no
-- one named, it is the clock closing it, which happens only once it is due.
CREATE FUNCTION votes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refuse_recused(NEW.application_id, NEW.opened_by);
    ELSIF NEW.closed_by IS NOT NULL AND OLD.closed_by IS NULL THEN
        PERFORM refuse_recused(NEW.application_id, NEW.closed_by);
    ELSIF NEW.closed_at IS NOT NULL AND OLD.closed_at IS NULL AND NEW.closed_at < NEW.closes_at THEN
        RAISE EXCEPTION 'vote % closed early with no one named', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_closed_by_clock';
    END IF;
    RETURN NEW;
END
$$;

-- A payment is recorded by an admin not recused. One waiting for approval
-- holds its amount on the instalment at once (payments_pending, below), so
-- over-payment is refused when entered, not when approved.
CREATE OR REPLACE FUNCTION payments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    original payments%ROWTYPE;
BEGIN
    IF NEW.award_id IS DISTINCT FROM (SELECT award_id FROM instalments WHERE id = NEW.instalment_id) THEN
        RAISE EXCEPTION 'payment % names an instalment of another award', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM refuse_recused((SELECT application_id FROM awards WHERE id = NEW.award_id), NEW.recorded_by);
    IF NEW.reverses IS NOT NULL THEN
        SELECT * INTO original FROM payments WHERE id = NEW.reverses;
        IF original.instalment_id <> NEW.instalment_id OR original.amount_cents <> -NEW.amount_cents OR original.reverses IS NOT NULL
           OR (original.needs_approval AND NOT EXISTS (SELECT 1 FROM payment_approvals WHERE payment_id = original.id)) THEN
            RAISE EXCEPTION 'payment % cannot reverse payment %', NEW.id, NEW.reverses
                USING ERRCODE = 'check_violation', CONSTRAINT = 'reversal_matches';
        END IF;
    END IF;
    IF NOT NEW.needs_approval THEN
        PERFORM ledger_count(NEW);
    END IF;
    RETURN NEW;
END
$$;

-- Once per statement, by instalment: a bulk insert (an import, a test's
-- hundred thousand lines) updates each instalment once, not once a line.
CREATE FUNCTION payments_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE instalments i SET pending_cents = i.pending_cents + n.cents
    FROM (SELECT instalment_id, sum(amount_cents) AS cents FROM inserted WHERE needs_approval GROUP BY instalment_id) n
    WHERE i.id = n.instalment_id;
    RETURN NULL;
END
$$;

-- Approval and cancellation each lock the payment, so one payment is
-- never both approved and cancelled.
CREATE OR REPLACE FUNCTION payment_approved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p payments%ROWTYPE;
BEGIN
    SELECT * INTO p FROM payments WHERE id = NEW.payment_id FOR UPDATE;
    IF NOT p.needs_approval THEN
        RAISE EXCEPTION 'payment % needs no approval', p.id USING ERRCODE = 'check_violation';
    END IF;
    IF p.recorded_by = NEW.approved_by THEN
        RAISE EXCEPTION 'payment % must be approved by a second admin', p.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'second_admin';
    END IF;
    IF EXISTS (SELECT 1 FROM payment_cancellations WHERE payment_id = p.id) THEN
        RAISE EXCEPTION 'payment % was cancelled', p.id USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_cancelled';
    END IF;
    PERFORM refuse_recused((SELECT application_id FROM awards WHERE id = p.award_id), NEW.approved_by);
    UPDATE instalments SET pending_cents = pending_cents - p.amount_cents WHERE id = p.instalment_id;
    PERFORM ledger_count(p);
    RETURN NEW;
END
$$;

CREATE FUNCTION payment_cancelled() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p payments%ROWTYPE;
BEGIN
    SELECT * INTO p FROM payments WHERE id = NEW.payment_id FOR UPDATE;
    IF NOT p.needs_approval OR EXISTS (SELECT 1 FROM payment_approvals WHERE payment_id = p.id) THEN
        RAISE EXCEPTION 'payment % is not waiting for approval', p.id USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_not_pending';
    END IF;
    PERFORM refuse_recused((SELECT application_id FROM awards WHERE id = p.award_id), NEW.cancelled_by);
    UPDATE instalments SET pending_cents = pending_cents - p.amount_cents WHERE id = p.instalment_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER awards_guard BEFORE INSERT OR UPDATE OF amount_cents, vote_id ON awards FOR EACH ROW EXECUTE FUNCTION awards_guard();
CREATE TRIGGER votes_guard BEFORE INSERT OR UPDATE ON votes FOR EACH ROW EXECUTE FUNCTION votes_guard();
CREATE TRIGGER votes_final BEFORE UPDATE ON votes FOR EACH ROW EXECUTE FUNCTION votes_final();
CREATE TRIGGER payment_cancelled AFTER INSERT ON payment_cancellations FOR EACH ROW EXECUTE FUNCTION payment_cancelled();
CREATE TRIGGER payments_pending AFTER INSERT ON payments REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION payments_pending();

-- +goose Down
DROP TRIGGER payments_pending ON payments;
DROP FUNCTION payments_pending();
DROP TRIGGER payment_cancelled ON payment_cancellations;
DROP TRIGGER votes_final ON votes;
DROP FUNCTION votes_final();
DROP TRIGGER votes_guard ON votes;
DROP TRIGGER awards_guard ON awards;
DROP FUNCTION payment_cancelled();
DROP FUNCTION votes_guard();
DROP FUNCTION awards_guard();
DROP TABLE payment_cancellations;
ALTER TABLE instalments DROP CONSTRAINT instalment_not_overcommitted;
ALTER TABLE instalments DROP COLUMN pending_cents;
ALTER TABLE awards DROP COLUMN vote_id;
ALTER TABLE votes DROP CONSTRAINT vote_approved_amount;
ALTER TABLE votes DROP COLUMN approved_cents;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    original payments%ROWTYPE;
BEGIN
    IF NEW.award_id IS DISTINCT FROM (SELECT award_id FROM instalments WHERE id = NEW.instalment_id) THEN
        RAISE EXCEPTION 'payment % names an instalment of another award', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.reverses IS NOT NULL THEN
        SELECT * INTO original FROM payments WHERE id = NEW.reverses;
        IF original.instalment_id <> NEW.instalment_id OR original.amount_cents <> -NEW.amount_cents OR original.reverses IS NOT NULL
           OR (original.needs_approval AND NOT EXISTS (SELECT 1 FROM payment_approvals WHERE payment_id = original.id)) THEN
            RAISE EXCEPTION 'payment % cannot reverse payment %', NEW.id, NEW.reverses
                USING ERRCODE = 'check_violation', CONSTRAINT = 'reversal_matches';
        END IF;
    END IF;
    IF NOT NEW.needs_approval THEN
        PERFORM ledger_count(NEW);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION payment_approved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p payments%ROWTYPE;
BEGIN
    SELECT * INTO p FROM payments WHERE id = NEW.payment_id;
    IF NOT p.needs_approval THEN
        RAISE EXCEPTION 'payment % needs no approval', p.id USING ERRCODE = 'check_violation';
    END IF;
    IF p.recorded_by = NEW.approved_by THEN
        RAISE EXCEPTION 'payment % must be approved by a second admin', p.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'second_admin';
    END IF;
    PERFORM ledger_count(p);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
DROP FUNCTION refuse_recused(bigint, bigint);
