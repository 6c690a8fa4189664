-- +goose Up
-- The grant agreement: the charity signs it before any money moves. What is
-- signed never changes; an unsigned agreement can be voided and another
-- issued in its place.

-- Who may sign for a charity: the person who registered it, and the members
-- they name.
ALTER TABLE organization_members ADD COLUMN signatory boolean NOT NULL DEFAULT false;
UPDATE organization_members m SET signatory = true FROM organizations o
WHERE o.id = m.organization_id AND o.created_by = m.user_id;

-- The terms of every agreement, as the admins write them in each language;
-- {placeholders} take the award's figures (see package papers).
CREATE TABLE agreement_templates (
    language   text PRIMARY KEY CHECK (language IN ('en', 'es')),
    body       text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 50000),
    updated_by bigint REFERENCES users,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO agreement_templates (language, body) VALUES
('en', $$The International Perfusion Association (the IPA) grants {amount} to {organization} (the Charity) for the mission "{title}", {trip}.

1. Use of the grant. The Charity uses the grant only for the mission's costs as budgeted in its application, for the care of patients. It tells the IPA at once of any change to the trip's dates, place, team or budget.

2. Payments. The IPA pays the grant as follows:
{schedule}

3. Conditions. {conditions}

4. Report. The Charity sends its post-trip report through the portal no later than {report_due}: the patients treated, the procedures, the outcomes, and what was spent against each line of the budget. It never sends any patient's name, date of birth or other identifier.

5. If the trip does not take place. The Charity tells the IPA within 14 days and returns what it received and has not spent, unless the IPA agrees in writing to a new date.

6. Records. The Charity keeps receipts for the grant's spending for five years and shows them to the IPA on request.$$),
('es', $$La Asociación Internacional de Perfusión (la IPA) concede {amount} a {organization} (la Organización) para la misión «{title}», {trip}.

1. Uso de la subvención. La Organización usa la subvención solo para los costos de la misión según el presupuesto de su solicitud, para la atención de los pacientes. Informa de inmediato a la IPA de cualquier cambio en las fechas, el lugar, el equipo o el presupuesto del viaje.

2. Pagos. La IPA paga la subvención así:
{schedule}

3. Condiciones. {conditions}

4. Informe. La Organización envía su informe posterior al viaje por el portal a más tardar el {report_due}: los pacientes atendidos, los procedimientos, los resultados y lo gastado en cada línea del presupuesto. Nunca envía el nombre, la fecha de nacimiento ni otro dato que identifique a un paciente.

5. Si el viaje no se realiza. La Organización lo comunica a la IPA en un plazo de 14 días y devuelve lo recibido y no gastado, salvo que la IPA acepte por escrito una nueva fecha.

6. Registros. La Organización conserva los comprobantes de los gastos de la subvención durante cinco años y los muestra a la IPA si esta los pide.$$);

-- An award's agreement as issued: the text and PDF the charity reads, and
-- once signed, who signed, when, from where, and the signed copy.
CREATE TABLE agreements (
    id             bigserial PRIMARY KEY,
    award_id       bigint NOT NULL REFERENCES awards,
    application_id bigint NOT NULL REFERENCES applications,
    language       text NOT NULL CHECK (language IN ('en', 'es')),
    body           text NOT NULL,
    pdf            bytea NOT NULL,
    pdf_sha256     text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
    issued_by      bigint NOT NULL REFERENCES users,
    issued_at      timestamptz NOT NULL,
    signed_by      bigint REFERENCES users,
    signer_name    text CHECK (length(btrim(signer_name)) BETWEEN 1 AND 200),
    signer_title   text CHECK (length(btrim(signer_title)) BETWEEN 1 AND 200),
    signer_ip      text,
    statement      text,
    signed_at      timestamptz,
    signed_pdf     bytea,
    voided_by      bigint REFERENCES users,
    voided_at      timestamptz,
    void_reason    text CHECK (length(btrim(void_reason)) BETWEEN 1 AND 2000),
    CONSTRAINT agreement_signed_whole CHECK ((signed_at IS NULL) = (signed_by IS NULL)
        AND (signed_at IS NULL) = (signer_name IS NULL) AND (signed_at IS NULL) = (signer_title IS NULL)
        AND (signed_at IS NULL) = (statement IS NULL) AND (signed_at IS NULL) = (signed_pdf IS NULL)),
    CONSTRAINT agreement_voided_whole CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)),
    CONSTRAINT agreement_signed_or_voided CHECK (signed_at IS NULL OR voided_at IS NULL)
);
-- One agreement stands for an award at a time.
CREATE UNIQUE INDEX agreements_one_standing ON agreements (award_id) WHERE voided_at IS NULL;
CREATE INDEX agreements_application ON agreements (application_id);

-- +goose StatementBegin
-- An agreement is issued once and then only signed or voided, once: what the
-- charity read (body, PDF, hash) never changes, and nothing is deleted.
CREATE FUNCTION agreements_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.signed_at IS NOT NULL OR OLD.voided_at IS NOT NULL
       OR NEW.body IS DISTINCT FROM OLD.body OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
       OR NEW.award_id IS DISTINCT FROM OLD.award_id OR NEW.application_id IS DISTINCT FROM OLD.application_id
       OR NEW.language IS DISTINCT FROM OLD.language OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.issued_by IS DISTINCT FROM OLD.issued_by THEN
        RAISE EXCEPTION 'agreement % is final: only an unsigned agreement is signed or voided, once', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_final';
    END IF;
    RETURN NEW;
END
$$;

-- No money moves before the charity signed its agreement.
CREATE FUNCTION payments_need_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM agreements WHERE award_id = NEW.award_id AND signed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'award % has no signed agreement', NEW.award_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_signed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER agreements_final BEFORE UPDATE OR DELETE ON agreements FOR EACH ROW EXECUTE FUNCTION agreements_final();
CREATE TRIGGER payments_need_agreement BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_need_agreement();

-- Awards paid before agreements existed stand as signed on paper: their
-- payments go on (their agreement is the letter of the time).
INSERT INTO agreements (award_id, application_id, language, body, pdf, pdf_sha256, issued_by, issued_at,
    signed_by, signer_name, signer_title, statement, signed_at, signed_pdf)
SELECT w.id, w.application_id, 'en', 'Agreed on paper before the portal kept agreements.', '', repeat('0', 64), w.created_by, w.created_at,
    w.created_by, 'On paper', 'On paper', 'Agreed on paper before the portal kept agreements.', w.created_at, ''
FROM awards w;

-- Minutes an admin approved: the period, who, when, and how many decisions
-- they held then. Append-only, as the ledger.
CREATE TABLE minutes_approvals (
    id          bigserial PRIMARY KEY,
    period_from date NOT NULL,
    period_to   date NOT NULL CHECK (period_to >= period_from),
    decisions   integer NOT NULL CHECK (decisions >= 0),
    approved_by bigint NOT NULL REFERENCES users,
    approved_at timestamptz NOT NULL
);
CREATE INDEX minutes_approvals_period ON minutes_approvals (period_from, period_to, approved_at DESC);
CREATE TRIGGER minutes_approvals_append_only BEFORE UPDATE OR DELETE ON minutes_approvals
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- +goose Down
DROP TABLE minutes_approvals;
DROP TRIGGER payments_need_agreement ON payments;
DROP FUNCTION payments_need_agreement();
DROP TABLE agreements;
DROP FUNCTION agreements_final();
DROP TABLE agreement_templates;
ALTER TABLE organization_members DROP COLUMN signatory;
