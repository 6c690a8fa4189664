-- +goose Up
-- What the rules need to know of a reader and of an application (app, of
-- charity, in round) at a moment (policy.Person and policy.Facts), defined
-- once for every statement that reads them: internal/policy/load.sql, which
-- may lock the row, and the application's page (application-show in
-- internal/application/thread.sql), which reads them with the application.
-- LANGUAGE sql, STABLE and one SELECT, so that PostgreSQL inlines it into
-- the calling statement and plans it there. It takes the columns of the
-- caller's row, so that a row locked FOR UPDATE is the row the facts are
-- read from.
-- Each fact is one lookup by key (a scalar subquery, not EXISTS: over many
-- applications PostgreSQL hashed an EXISTS's whole table). A standing
-- conflict with the charity (00030_assignments.sql) declares and recuses as
-- a conflict on the application does.
-- +goose StatementBegin
CREATE FUNCTION application_facts(app bigint, charity bigint, round bigint, reader bigint, moment timestamptz)
RETURNS TABLE (member boolean, signatory boolean, declared boolean, recused boolean, vote_open boolean,
    awarded boolean, report text, agreement text, concept_by_board boolean)
LANGUAGE sql STABLE AS $$
SELECT m.signatory IS NOT NULL, coalesce(m.signatory, FALSE),
    (c.user_id IS NOT NULL OR sc.id IS NOT NULL), (coalesce(c.has_conflict, FALSE) OR sc.id IS NOT NULL),
    coalesce((SELECT v.closes_at > moment FROM votes v WHERE v.application_id = app AND v.closed_at IS NULL), FALSE),
    coalesce((SELECT TRUE FROM awards w WHERE w.application_id = app), FALSE),
    coalesce((SELECT r.status FROM reports r WHERE r.application_id = app), ''),
    coalesce((SELECT CASE WHEN g.signed_at IS NULL THEN 'unsigned' ELSE 'signed' END FROM agreements g
        WHERE g.application_id = app AND g.voided_at IS NULL), ''),
    (SELECT r.concept_by_board FROM funding_rounds r WHERE r.id = round)
FROM (SELECT) AS one
LEFT JOIN LATERAL (SELECT m.signatory FROM organization_members m
    WHERE m.organization_id = charity AND m.user_id = reader) m ON TRUE
LEFT JOIN conflicts c ON c.application_id = app AND c.user_id = reader
LEFT JOIN standing_conflicts sc ON sc.organization_id = charity AND sc.user_id = reader AND sc.withdrawn_at IS NULL
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION application_facts(bigint, bigint, bigint, bigint, timestamptz);
