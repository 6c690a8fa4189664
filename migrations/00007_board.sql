-- +goose Up
-- The board's side: screening, conflicts of interest, reviews, internal
-- discussion and votes. Rules that must hold whatever the code does (no
-- ballot from a recused member, none after the vote closed) are enforced
-- here too.

ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('draft', 'submitted', 'withdrawn', 'more_info_requested', 'in_review', 'voting', 'approved', 'declined'));
ALTER TABLE applications ADD COLUMN decline_reason text NOT NULL DEFAULT '' CHECK (length(decline_reason) <= 5000);

CREATE TABLE screenings (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    version        integer NOT NULL,
    checks         jsonb NOT NULL,
    outcome        text NOT NULL CHECK (outcome IN ('to_board', 'more_info', 'declined')),
    screened_by    bigint NOT NULL REFERENCES users,
    screened_at    timestamptz NOT NULL
);
CREATE INDEX screenings_app_idx ON screenings (application_id, screened_at);

-- Criteria the board scores, configured by admins.
CREATE TABLE review_criteria (
    id       bigserial PRIMARY KEY,
    key      text NOT NULL UNIQUE CHECK (key ~ '^[a-z_]{1,40}$'),
    name_en  text NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
    name_es  text NOT NULL CHECK (length(btrim(name_es)) BETWEEN 1 AND 200),
    weight   integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10),
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);
INSERT INTO review_criteria (key, name_en, name_es, weight, position) VALUES
    ('need', 'Need', 'Necesidad', 1, 1),
    ('clinical_capacity', 'Clinical capacity of the team and host site', 'Capacidad clínica del equipo y del hospital anfitrión', 1, 2),
    ('budget', 'Budget soundness', 'Solidez del presupuesto', 1, 3),
    ('sustainability', 'Sustainability and local training', 'Sostenibilidad y capacitación local', 1, 4),
    ('track_record', 'Track record', 'Trayectoria', 1, 5);

-- A board member's declaration for one application: a conflict recuses them.
CREATE TABLE conflicts (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    user_id        bigint NOT NULL REFERENCES users,
    has_conflict   boolean NOT NULL,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    declared_at    timestamptz NOT NULL,
    recorded_by    bigint NOT NULL REFERENCES users, -- the member, or an admin for them
    PRIMARY KEY (application_id, user_id)
);

CREATE TABLE reviews (
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    user_id        bigint NOT NULL REFERENCES users,
    scores         jsonb NOT NULL,   -- criterion key → 1..5
    weighted_milli integer NOT NULL CHECK (weighted_milli BETWEEN 1000 AND 5000), -- weighted mean × 1000
    comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 10000),
    recommendation text NOT NULL CHECK (recommendation IN ('approve', 'decline', 'more_info')),
    submitted_at   timestamptz NOT NULL,
    PRIMARY KEY (application_id, user_id)
);
CREATE INDEX reviews_user_idx ON reviews (user_id);

CREATE TABLE board_comments (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    author_id      bigint NOT NULL REFERENCES users,
    body           text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 10000),
    created_at     timestamptz NOT NULL
);
CREATE INDEX board_comments_app_idx ON board_comments (application_id, created_at);

CREATE TABLE votes (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications ON DELETE CASCADE,
    proposed_cents bigint NOT NULL CHECK (proposed_cents > 0),
    currency       text NOT NULL DEFAULT 'USD',
    conditions     text NOT NULL DEFAULT '' CHECK (length(conditions) <= 5000),
    opened_by      bigint NOT NULL REFERENCES users,
    opened_at      timestamptz NOT NULL,
    closes_at      timestamptz NOT NULL CHECK (closes_at > opened_at),
    closed_at      timestamptz,
    closed_by      bigint REFERENCES users,           -- NULL: closed by the clock
    result         jsonb,                             -- the tally, with who voted what and who was recused
    decision       text CHECK (decision IN ('approved', 'declined', 'none')),
    reminded_at    timestamptz,
    CHECK ((closed_at IS NULL) = (result IS NULL) AND (closed_at IS NULL) = (decision IS NULL))
);
-- At most one open vote per application.
CREATE UNIQUE INDEX votes_one_open_idx ON votes (application_id) WHERE closed_at IS NULL;
CREATE INDEX votes_closes_idx ON votes (closes_at) WHERE closed_at IS NULL;

CREATE TABLE ballots (
    vote_id    bigint NOT NULL REFERENCES votes ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users,
    choice     text NOT NULL CHECK (choice IN ('approve', 'decline', 'abstain')),
    comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    cast_at    timestamptz NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

-- +goose StatementBegin
-- A ballot lands only in an open vote, from a board member who declared no
-- conflict on the application; a closed vote's ballots never change.
CREATE FUNCTION ballots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- +goose StatementEnd
CREATE TRIGGER ballots_guard BEFORE INSERT OR UPDATE OR DELETE ON ballots
    FOR EACH ROW EXECUTE FUNCTION ballots_guard();

-- +goose Down
DROP TABLE ballots;
DROP FUNCTION ballots_guard();
DROP TABLE votes;
DROP TABLE board_comments;
DROP TABLE reviews;
DROP TABLE conflicts;
DROP TABLE review_criteria;
DROP TABLE screenings;
ALTER TABLE applications DROP COLUMN decline_reason;
