-- +goose Up
-- Searches for people match without accents: "hernandez" finds "Hernández".
-- unaccent is a trusted extension, like pg_trgm (00008).
CREATE EXTENSION IF NOT EXISTS unaccent;

-- +goose Down
DROP EXTENSION IF EXISTS unaccent;
