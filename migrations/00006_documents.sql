-- +goose Up
-- Uploaded documents. The file itself is an object in the document store
-- (S3 or local disk) under storage_key; this row is what makes it exist for
-- the portal. The object is written first and the row after, so an object
-- without a row is an interrupted upload, which the cleanup job removes.
--
-- A row never changes once written, except to record that the document was
-- removed or replaced: a submitted version must keep showing the board the
-- exact files it was submitted with (application_version_documents).
CREATE TABLE documents (
    id                 bigserial PRIMARY KEY,
    organization_id    bigint NOT NULL REFERENCES organizations,
    -- NULL: the organization's own document (such as its charitable status),
    -- counted for each of its applications.
    application_id     bigint REFERENCES applications,
    kind               text NOT NULL CHECK (kind IN ('charitable_status', 'budget_sheet', 'host_agreement',
                                                     'team_licence', 'outcome_report', 'other')),
    -- As cleaned for display and Content-Disposition, never a path.
    filename           text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    -- Judged from the content, not the name or the browser's word.
    content_type       text NOT NULL CHECK (content_type <> ''),
    size_bytes         bigint NOT NULL CHECK (size_bytes > 0),
    sha256             text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    storage_key        text NOT NULL UNIQUE CHECK (storage_key <> ''),
    licence_expires_on date,
    uploaded_by        bigint NOT NULL REFERENCES users,
    uploaded_at        timestamptz NOT NULL,
    -- Set once when the document stops being current but a submitted
    -- version still needs it (otherwise the row is deleted).
    removed_at         timestamptz,
    removed_by         bigint REFERENCES users,
    -- History, not a reference: the replacement may since have been deleted.
    replaced_by        bigint,
    CHECK (kind = 'team_licence' OR licence_expires_on IS NULL),
    CHECK ((removed_at IS NULL) = (removed_by IS NULL)),
    CHECK (replaced_by IS NULL OR removed_at IS NOT NULL)
);
CREATE INDEX documents_application_idx ON documents (application_id, uploaded_at) WHERE removed_at IS NULL;
CREATE INDEX documents_organization_idx ON documents (organization_id, uploaded_at) WHERE removed_at IS NULL;

-- +goose StatementBegin
CREATE FUNCTION documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.removed_at IS NOT NULL
       OR (NEW.id, NEW.organization_id, NEW.application_id, NEW.kind, NEW.filename, NEW.content_type,
           NEW.size_bytes, NEW.sha256, NEW.storage_key, NEW.licence_expires_on, NEW.uploaded_by, NEW.uploaded_at)
          IS DISTINCT FROM
          (OLD.id, OLD.organization_id, OLD.application_id, OLD.kind, OLD.filename, OLD.content_type,
           OLD.size_bytes, OLD.sha256, OLD.storage_key, OLD.licence_expires_on, OLD.uploaded_by, OLD.uploaded_at) THEN
        RAISE EXCEPTION 'documents are immutable: only their removal may be recorded, once'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER documents_immutable
    BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_refuse_change();

-- The documents each submitted version was submitted with. A referenced
-- document can be neither deleted nor changed.
CREATE TABLE application_version_documents (
    application_id bigint NOT NULL,
    version        integer NOT NULL,
    document_id    bigint NOT NULL REFERENCES documents,
    PRIMARY KEY (application_id, version, document_id),
    FOREIGN KEY (application_id, version) REFERENCES application_versions ON DELETE CASCADE
);
CREATE INDEX application_version_documents_document_idx ON application_version_documents (document_id);

-- +goose Down
DROP TABLE application_version_documents;
DROP TABLE documents;
DROP FUNCTION documents_refuse_change();
