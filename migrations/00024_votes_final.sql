-- +goose Up
-- The last line of 00021_rules.sql, closed: an award could exceed what the
-- board approved by rewriting the closed vote (its approved amount, its
-- decision), or by naming an approval a later vote superseded. A closed
-- vote is final, and an award names its application's latest vote.

-- +goose StatementBegin
CREATE FUNCTION votes_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'vote % is closed: it never changes', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_final';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION awards_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- +goose StatementEnd

CREATE TRIGGER votes_final BEFORE UPDATE ON votes FOR EACH ROW EXECUTE FUNCTION votes_final();

-- +goose Down
DROP TRIGGER votes_final ON votes;
DROP FUNCTION votes_final();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION awards_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v votes%ROWTYPE;
BEGIN
    SELECT * INTO v FROM votes WHERE id = NEW.vote_id;
    IF v.application_id IS DISTINCT FROM NEW.application_id OR v.decision IS DISTINCT FROM 'approved' OR NEW.amount_cents > v.approved_cents THEN
        RAISE EXCEPTION 'award % exceeds what vote % approved', NEW.id, NEW.vote_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'award_within_vote';
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM refuse_recused(NEW.application_id, NEW.created_by);
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
