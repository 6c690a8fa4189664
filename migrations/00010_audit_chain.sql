-- +goose Up
-- The audit trail becomes a hash chain: each entry carries the hash of the
-- entry before it (in id order) and its own hash over that and its fields, so
-- an entry changed or removed behind the application's back is detectable
-- (audit.Verify). The database computes both at insert time, so every writer,
-- in every process, chains the same way.
ALTER TABLE audit ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;
-- The id is drawn by the trigger below, under its lock.
ALTER TABLE audit ALTER COLUMN id DROP DEFAULT;

-- audit_entry_text is the canonical text of an entry: a JSON array of its
-- fields, the instant in UTC with microseconds, so neither the session's
-- TimeZone nor its DateStyle changes it. The one definition both the trigger
-- and audit.Verify use.
-- +goose StatementBegin
CREATE FUNCTION audit_entry_text(a audit) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT json_build_array(
        a.id,
        to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        a.actor_id, a.actor_label, a.ip, a.request_id, a.action,
        a.object_type, a.object_id, a.details::text)::text
$$;
-- +goose StatementEnd

-- audit_entry_hash is sha256(prev_hash || canonical text).
-- +goose StatementBegin
CREATE FUNCTION audit_entry_hash(prev bytea, a audit) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(prev || convert_to(audit_entry_text(a), 'UTF8'))
$$;
-- +goose StatementEnd

-- audit_genesis is the prev_hash of the first entry: 32 zero bytes.
-- +goose StatementBegin
CREATE FUNCTION audit_genesis() RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT decode(repeat('00', 32), 'hex')
$$;
-- +goose StatementEnd

-- audit_chain links a new entry to the last one. The transaction-level
-- advisory lock (key 7411, the audit chain's) makes inserts from every
-- session take turns until their transaction ends; the id is drawn under the
-- lock, so id order is chain order. The lookup of the last entry needs a
-- fresh snapshot after the lock: under REPEATABLE READ or SERIALIZABLE it
-- would miss an entry committed meanwhile and fork the chain, so those
-- isolation levels are refused.
-- +goose StatementBegin
CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit entries are written in READ COMMITTED transactions only (this one is %)',
            current_setting('transaction_isolation') USING ERRCODE = 'feature_not_supported';
    END IF;
    PERFORM pg_advisory_xact_lock(7411);
    NEW.id := nextval('audit_id_seq');
    SELECT hash INTO last FROM audit ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, audit_genesis());
    NEW.hash := audit_entry_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Entries written before the chain existed are chained here, in id order.
-- The append-only trigger is lifted for this one statement's transaction.
ALTER TABLE audit DISABLE TRIGGER audit_append_only;
-- +goose StatementBegin
DO $$
DECLARE
    r audit;
    prev bytea := audit_genesis();
BEGIN
    FOR r IN SELECT * FROM audit ORDER BY id LOOP
        UPDATE audit SET prev_hash = prev, hash = audit_entry_hash(prev, r) WHERE id = r.id
            RETURNING hash INTO prev;
    END LOOP;
END
$$;
-- +goose StatementEnd
ALTER TABLE audit ENABLE TRIGGER audit_append_only;

ALTER TABLE audit ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;

CREATE TRIGGER audit_chain
    BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_chain();

-- +goose Down
DROP TRIGGER audit_chain ON audit;
DROP FUNCTION audit_chain();
DROP FUNCTION audit_genesis();
DROP FUNCTION audit_entry_hash(bytea, audit);
DROP FUNCTION audit_entry_text(audit);
ALTER TABLE audit DROP COLUMN prev_hash, DROP COLUMN hash;
ALTER TABLE audit ALTER COLUMN id SET DEFAULT nextval('audit_id_seq');
