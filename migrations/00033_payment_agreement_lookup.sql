-- +goose Up
-- A payment's check for a signed agreement (00025) asked for any agreement
-- of the award, which no index serves: agreements_one_standing covers only
-- those not voided. Every payment then read the whole agreements table
-- (the load tool's seed of 100,000 applications spent over 20 minutes in
-- its payments). A voided agreement was never signed (only unsigned ones
-- are voided), so asking for the standing one means the same and is a
-- lookup in that index.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_need_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM agreements
            WHERE award_id = NEW.award_id AND voided_at IS NULL AND signed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'award % has no signed agreement', NEW.award_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_signed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_need_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM agreements WHERE award_id = NEW.award_id AND signed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'award % has no signed agreement', NEW.award_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_signed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
