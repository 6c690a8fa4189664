-- +goose Up
-- The queue's search finds applications by the words of their title or of
-- their charity's name (folded: "mision" finds "Misión"), the last word of
-- the term as a beginning ("hond" finds "Honduras"). A full-text index
-- answers that from the posting lists of the words asked, the rarest first;
-- the trigram indexes it replaces read the lists of every trigram of the
-- term, and trigrams such as "mis" or "ion" are in most titles: at 100,000
-- applications a search for one title read 650 index pages (13 ms), against
-- 30 at 1,000. 'simple' keeps every word as it is (no stemming, no stop
-- words), since titles mix English and Spanish.
ALTER TABLE applications ADD COLUMN search_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_fold(title))) STORED;
ALTER TABLE organizations ADD COLUMN search_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_fold(legal_name))) STORED;
-- search_query is the query that finds a term typed into the search: its
-- words as the index holds them (the same folding and parser), the last one
-- as a beginning. It is built from the parser's lexemes, each quoted, so
-- nothing typed is read as query syntax (unaccent turns "ʼ" into a quote
-- and "ː" into a colon).
-- +goose StatementBegin
CREATE FUNCTION search_query(term text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT to_tsquery('simple', coalesce(string_agg(
            '''' || replace(replace(w.lexeme, '\', '\\'), '''', '''''') || ''''
                || CASE WHEN w.last THEN ':*' ELSE '' END,
            ' & '), ''))
    FROM (SELECT lexeme, positions[cardinality(positions)] = max(positions[cardinality(positions)]) OVER () AS last
          FROM unnest(to_tsvector('simple', search_fold(term)))) w
$$;
-- +goose StatementEnd
-- fastupdate off, as for the trigram indexes before: no pending list read
-- whole at every search.
CREATE INDEX applications_words_idx ON applications USING gin (search_words)
    WITH (fastupdate = off) WHERE version > 0;
CREATE INDEX organizations_words_idx ON organizations USING gin (search_words)
    WITH (fastupdate = off);
DROP INDEX applications_title_fold_idx;
DROP INDEX organizations_name_fold_idx;
ALTER TABLE applications DROP COLUMN search_title;
ALTER TABLE organizations DROP COLUMN search_name;

-- +goose Down
ALTER TABLE applications ADD COLUMN search_title text GENERATED ALWAYS AS (search_fold(title)) STORED;
ALTER TABLE organizations ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(legal_name)) STORED;
CREATE INDEX applications_title_fold_idx ON applications USING gin (search_title gin_trgm_ops)
    WITH (fastupdate = off) WHERE version > 0;
CREATE INDEX organizations_name_fold_idx ON organizations USING gin (search_name gin_trgm_ops)
    WITH (fastupdate = off);
DROP INDEX organizations_words_idx;
DROP INDEX applications_words_idx;
DROP FUNCTION search_query(text);
ALTER TABLE organizations DROP COLUMN search_words;
ALTER TABLE applications DROP COLUMN search_words;
