-- +goose Up
-- The audit trail: who did what, when, from where. Rows are only ever added;
-- the trigger below makes the database itself refuse to change or remove one.
CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint,
    actor_label text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    action      text NOT NULL CHECK (action <> ''),
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_at_idx ON audit (at DESC, id DESC);
CREATE INDEX audit_object_idx ON audit (object_type, object_id);
CREATE INDEX audit_actor_idx ON audit (actor_id, at DESC);

-- +goose StatementBegin
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_append_only
    BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate
    BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- +goose Down
DROP TABLE audit;
DROP FUNCTION audit_refuse_change();
