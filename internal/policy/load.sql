-- What the rules need to know of a person ($2) and an application ($1) at
-- a time ($3), as application_facts (migrations/00042_application_facts.sql)
-- reads them beside the application's row: one statement for each way
-- policy.Load may lock the row.

-- name: policy-load
SELECT a.id, a.status, f.*
FROM applications a CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, $2, $3) f
WHERE a.id = $1

-- name: policy-load-share
SELECT a.id, a.status, f.*
FROM applications a CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, $2, $3) f
WHERE a.id = $1
FOR SHARE OF a

-- name: policy-load-update
SELECT a.id, a.status, f.*
FROM applications a CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, $2, $3) f
WHERE a.id = $1
FOR UPDATE OF a

-- name: policy-load-many
-- The same facts for each of several applications ($1), for a page that
-- lists them with what may be done to each; no lock. The ids go through
-- ARRAY(SELECT unnest(...)) so that the planner cannot count them: for one
-- or two ids a fresh plan looked cheaper than the one kept, and the
-- statement was planned anew at each request (1.2 ms under load, eight
-- times what it takes to run).
SELECT a.id, a.status, f.*
FROM applications a CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, $2, $3) f
WHERE a.id = ANY(ARRAY(SELECT unnest($1::bigint[])))

-- name: policy-board
-- Every active board member as the rules see them on application $1 (the
-- moment, now(), counts only for vote_open, which is not read here).
SELECT u.id, u.is_admin, u.is_board, f.member, f.declared, f.recused
FROM applications a
CROSS JOIN users u
CROSS JOIN LATERAL application_facts(a.id, a.organization_id, a.round_id, u.id, now()) f
WHERE a.id = $1 AND u.is_board AND u.active
ORDER BY u.id
