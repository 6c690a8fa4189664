-- +goose Up
-- An application's latest vote (vote.Service.Current, on every application
-- page before the board and after it) was found by walking the votes from
-- the newest id back: at 10,000 applications, a millisecond a page.
CREATE INDEX votes_application_idx ON votes (application_id, id DESC);

-- +goose Down
DROP INDEX votes_application_idx;
