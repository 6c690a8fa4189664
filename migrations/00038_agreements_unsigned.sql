-- +goose Up
-- The agreements waiting for a signature: a few at any time, however many
-- years of signed ones pile up. A charity's home page asks which of its
-- grants still owe something (application-for-user); without this index
-- that question read every agreement ever made.
CREATE INDEX agreements_unsigned_idx ON agreements (application_id) WHERE signed_at IS NULL AND voided_at IS NULL;

-- +goose Down
DROP INDEX agreements_unsigned_idx;
