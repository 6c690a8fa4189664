-- +goose Up
-- A charity may throw away a draft it never sent; an application the IPA
-- has received is withdrawn, never deleted. The service asks the rules
-- (policy.DeleteDraft); this is the last line, for any other path.

-- +goose StatementBegin
CREATE FUNCTION applications_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'draft' OR OLD.version > 0 THEN
        RAISE EXCEPTION 'application % was sent to the IPA: it is withdrawn, never deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER applications_delete_only_drafts
    BEFORE DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_refuse_delete();

-- +goose Down
DROP TRIGGER applications_delete_only_drafts ON applications;
DROP FUNCTION applications_refuse_delete();
