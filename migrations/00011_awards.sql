-- +goose Up
-- Money. An approved application becomes an award with a schedule of
-- instalments; every payment is a line in an append-only ledger. The
-- database itself makes over-payment and double payment impossible: the
-- running totals below are kept by a trigger and bounded by CHECKs, and the
-- row locks they take serialize concurrent payments of one award.

CREATE TABLE awards (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL UNIQUE REFERENCES applications,
    round_id       bigint NOT NULL REFERENCES funding_rounds,
    year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_cents   bigint NOT NULL CHECK (amount_cents > 0),
    currency       text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    conditions     text NOT NULL DEFAULT '' CHECK (length(conditions) <= 5000),
    paid_cents     bigint NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    created_by     bigint NOT NULL REFERENCES users,
    created_at     timestamptz NOT NULL,
    CONSTRAINT award_not_overpaid CHECK (paid_cents <= amount_cents)
);
CREATE INDEX awards_round_idx ON awards (round_id);
CREATE INDEX awards_year_idx ON awards (year);

CREATE TABLE instalments (
    id           bigserial PRIMARY KEY,
    award_id     bigint NOT NULL REFERENCES awards,
    position     integer NOT NULL CHECK (position > 0),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    due_on       date NOT NULL,
    -- report_accepted: paid only once the post-trip report is accepted,
    -- unless an admin records why (payments.override_reason).
    condition    text NOT NULL DEFAULT 'none' CHECK (condition IN ('none', 'before_trip', 'report_accepted')),
    paid_cents   bigint NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    UNIQUE (award_id, position),
    CONSTRAINT instalment_not_overpaid CHECK (paid_cents <= amount_cents)
);

-- The ledger. A correction is a reversing line (negative, naming the line it
-- reverses, with a reason); nothing is ever edited or deleted.
CREATE TABLE payments (
    id              bigserial PRIMARY KEY,
    instalment_id   bigint NOT NULL REFERENCES instalments,
    award_id        bigint NOT NULL REFERENCES awards,
    amount_cents    bigint NOT NULL CHECK (amount_cents <> 0),
    reverses        bigint UNIQUE REFERENCES payments, -- a line is reversed at most once
    paid_on         date NOT NULL,
    method          text NOT NULL CHECK (method IN ('check', 'wire', 'ach', 'other')),
    reference       text NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    override_reason text NOT NULL DEFAULT '' CHECK (length(override_reason) <= 2000),
    receipt_id      bigint REFERENCES documents,
    -- The form's one-time key: a double click or a resent form records one line.
    idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 16 AND 100),
    -- Large payments count only once a second admin approves them.
    needs_approval  boolean NOT NULL DEFAULT false,
    recorded_by     bigint NOT NULL REFERENCES users,
    recorded_at     timestamptz NOT NULL,
    CHECK ((reverses IS NULL) = (amount_cents > 0)),
    CHECK (reverses IS NULL OR btrim(reason) <> '')
);
CREATE INDEX payments_award_idx ON payments (award_id, id);

CREATE TABLE payment_approvals (
    payment_id  bigint PRIMARY KEY REFERENCES payments,
    approved_by bigint NOT NULL REFERENCES users,
    approved_at timestamptz NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

-- count adds a line that counts (posted, or just approved) to its
-- instalment's and award's totals; the CHECKs refuse any over-payment, and
-- the row locks serialize concurrent payments.
CREATE FUNCTION ledger_count(p payments) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE instalments SET paid_cents = paid_cents + p.amount_cents WHERE id = p.instalment_id;
    UPDATE awards SET paid_cents = paid_cents + p.amount_cents WHERE id = p.award_id;
END
$$;

CREATE FUNCTION payments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE FUNCTION payment_approved() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER payments_counted AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_counted();
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER payment_approved AFTER INSERT ON payment_approvals FOR EACH ROW EXECUTE FUNCTION payment_approved();
CREATE TRIGGER approvals_append_only BEFORE UPDATE OR DELETE ON payment_approvals FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- +goose Down
DROP TABLE payment_approvals;
DROP TABLE payments;
DROP FUNCTION payment_approved();
DROP FUNCTION payments_counted();
DROP FUNCTION ledger_count(payments);
DROP FUNCTION ledger_refuse_change();
DROP TABLE instalments;
DROP TABLE awards;
