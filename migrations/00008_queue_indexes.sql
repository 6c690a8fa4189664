-- +goose Up
-- The board's review queue (application.Service.Queue): keyset pages in
-- submission order, filtered by status (applications_status_idx already
-- serves that), and searched by title or organization name with ILIKE, which
-- trigram indexes serve. pg_trgm is a trusted extension: the database's
-- owner may create it. The minutes list closed votes by closing time.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX applications_submitted_idx ON applications (submitted_at DESC, id DESC) WHERE version > 0;
CREATE INDEX applications_title_trgm_idx ON applications USING gin (title gin_trgm_ops);
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (legal_name gin_trgm_ops);
CREATE INDEX votes_closed_idx ON votes (closed_at) WHERE closed_at IS NOT NULL;
-- Where the person viewing the queue stands: their conflicts and ballots.
CREATE INDEX conflicts_user_idx ON conflicts (user_id) WHERE has_conflict;
CREATE INDEX ballots_user_idx ON ballots (user_id);

-- +goose Down
DROP INDEX ballots_user_idx;
DROP INDEX conflicts_user_idx;
DROP INDEX votes_closed_idx;
DROP INDEX organizations_name_trgm_idx;
DROP INDEX applications_title_trgm_idx;
DROP INDEX applications_submitted_idx;
