-- +goose Up
-- Two-stage rounds (issue 22): in a two-stage round a charity first sends a
-- short concept note; only a charity the IPA invites writes the full
-- proposal, by the invitation's own deadline. One application row carries
-- both stages: its stage says which it is at, its concept note is kept
-- beside the full form, each submitted note frozen in concept_versions.

-- The round's stages: one (the full proposal at once) or two; who decides
-- on the concept notes (the admins, or the board); and the note's questions
-- as the admins word them, by language then question (label, help).
ALTER TABLE funding_rounds
    ADD COLUMN two_stage boolean NOT NULL DEFAULT false,
    ADD COLUMN concept_by_board boolean NOT NULL DEFAULT false,
    ADD COLUMN concept_questions jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE applications
    ADD COLUMN stage text NOT NULL DEFAULT 'full' CHECK (stage IN ('concept', 'full')),
    -- The concept note as being edited, values as typed.
    ADD COLUMN concept jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN concept_version integer NOT NULL DEFAULT 0 CHECK (concept_version >= 0),
    -- The invitation to write the full proposal: when, by whom, and its deadline.
    ADD COLUMN invited_at timestamptz,
    ADD COLUMN invited_by bigint REFERENCES users,
    ADD COLUMN invitation_due date,
    ADD CONSTRAINT application_invitation_whole CHECK ((invited_at IS NULL) = (invited_by IS NULL)
        AND (invited_at IS NULL) = (invitation_due IS NULL));

ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('concept_draft', 'concept_submitted', 'concept_info_requested', 'invited',
        'draft', 'submitted', 'withdrawn', 'more_info_requested', 'in_review', 'voting', 'approved', 'declined'));
-- A status names its stage: the concept statuses are the concept note's,
-- invited and those after it the full proposal's (a declined or withdrawn
-- application stays at the stage it reached).
ALTER TABLE applications ADD CONSTRAINT application_stage_status
    CHECK (stage = 'concept' OR status NOT IN ('concept_draft', 'concept_submitted', 'concept_info_requested')),
    ADD CONSTRAINT application_concept_stage_status
    CHECK (stage = 'full' OR status IN ('concept_draft', 'concept_submitted', 'concept_info_requested', 'invited', 'declined', 'withdrawn'));
-- Something sent stands as a version: the full proposal's, or the note's.
ALTER TABLE applications DROP CONSTRAINT applications_check;
ALTER TABLE applications ADD CONSTRAINT applications_check
    CHECK (status IN ('draft', 'invited', 'withdrawn', 'concept_draft') OR version > 0 OR (stage = 'concept' AND concept_version > 0));

-- Each concept note as sent, never changed.
CREATE TABLE concept_versions (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version > 0),
    data           jsonb NOT NULL,
    submitted_by   bigint NOT NULL REFERENCES users,
    submitted_at   timestamptz NOT NULL,
    PRIMARY KEY (application_id, version)
);
CREATE TRIGGER concept_versions_append_only BEFORE UPDATE ON concept_versions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- +goose StatementBegin
-- The last line: in a two-stage round a full proposal exists only once the
-- IPA invited it, and an application never goes back to its concept note.
CREATE FUNCTION applications_stage_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.stage = 'full' AND NEW.invited_at IS NULL
       AND (SELECT two_stage FROM funding_rounds WHERE id = NEW.round_id) THEN
        RAISE EXCEPTION 'application % is a full proposal in a two-stage round without an invitation', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'full_proposal_invited';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.stage = 'full' AND NEW.stage = 'concept' THEN
        RAISE EXCEPTION 'application % goes back to its concept note', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'full_proposal_invited';
    END IF;
    RETURN NEW;
END
$$;

-- A round's stages change only while it has no applications: those in it
-- were started under the other rule.
CREATE FUNCTION funding_rounds_stages_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.two_stage IS DISTINCT FROM OLD.two_stage AND EXISTS (SELECT 1 FROM applications WHERE round_id = NEW.id) THEN
        RAISE EXCEPTION 'round % has applications: its stages are fixed', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'round_stages_fixed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_stage_guard BEFORE INSERT OR UPDATE OF stage, round_id, invited_at ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_stage_guard();
CREATE TRIGGER funding_rounds_stages_fixed BEFORE UPDATE OF two_stage ON funding_rounds
    FOR EACH ROW EXECUTE FUNCTION funding_rounds_stages_fixed();

-- +goose Down
DROP TRIGGER funding_rounds_stages_fixed ON funding_rounds;
DROP TRIGGER applications_stage_guard ON applications;
DROP FUNCTION funding_rounds_stages_fixed();
DROP FUNCTION applications_stage_guard();
DROP TABLE concept_versions;
ALTER TABLE applications DROP CONSTRAINT applications_check;
ALTER TABLE applications ADD CONSTRAINT applications_check CHECK (status = 'draft' OR version > 0 OR status = 'withdrawn');
ALTER TABLE applications DROP CONSTRAINT application_concept_stage_status;
ALTER TABLE applications DROP CONSTRAINT application_stage_status;
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('draft', 'submitted', 'withdrawn', 'more_info_requested', 'in_review', 'voting', 'approved', 'declined'));
ALTER TABLE applications DROP CONSTRAINT application_invitation_whole,
    DROP COLUMN invitation_due, DROP COLUMN invited_by, DROP COLUMN invited_at,
    DROP COLUMN concept_version, DROP COLUMN concept, DROP COLUMN stage;
ALTER TABLE funding_rounds DROP COLUMN concept_questions, DROP COLUMN concept_by_board, DROP COLUMN two_stage;
