-- +goose Up
-- A round's name in Spanish, for the charities that read the portal in
-- Spanish; '' shows the English name.
ALTER TABLE funding_rounds ADD COLUMN name_es text NOT NULL DEFAULT '' CHECK (length(name_es) <= 200);

-- +goose Down
ALTER TABLE funding_rounds DROP COLUMN name_es;
