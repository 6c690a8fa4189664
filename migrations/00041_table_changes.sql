-- +goose Up
-- A process may keep a copy of a table that changes seldom (the rounds'
-- names, for the board's queue filter) if it hears when the table changes,
-- whichever process changed it: after each statement that does, its name is
-- announced on the channel table_changed, at commit (db.Changes listens).
-- +goose StatementBegin
CREATE FUNCTION announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('table_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER funding_rounds_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON funding_rounds
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();

-- +goose Down
DROP TRIGGER funding_rounds_changed ON funding_rounds;
DROP FUNCTION announce_change();
