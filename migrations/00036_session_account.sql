-- +goose Up
-- A browser's scs session row names the hash of the account session it
-- holds, so that one statement reads both (account.FindSession): every page
-- read the scs row and then the account session, two round trips for one
-- question. Rows written before this stay NULL and are read the old way.
ALTER TABLE sessions ADD COLUMN sid_hash bytea CHECK (length(sid_hash) = 32);

-- +goose Down
ALTER TABLE sessions DROP COLUMN sid_hash;
