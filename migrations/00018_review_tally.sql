-- +goose Up
-- The board's queue shows, for each application, how many reviews it has
-- and their mean. Counting them for every row shown was a third of the
-- queue's query. Applications keep the count and the sum, changed by the
-- triggers below by difference (count = count + 1, never a recount), so
-- that two reviews saved at the same moment both count.
ALTER TABLE applications
    ADD COLUMN review_count integer NOT NULL DEFAULT 0 CHECK (review_count >= 0),
    ADD COLUMN review_milli_sum bigint NOT NULL DEFAULT 0 CHECK (review_milli_sum >= 0);
UPDATE applications a SET review_count = t.n, review_milli_sum = t.total
FROM (SELECT application_id, count(*) AS n, sum(weighted_milli) AS total FROM reviews GROUP BY 1) t
WHERE a.id = t.application_id;

-- +goose StatementBegin
CREATE FUNCTION reviews_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE applications a SET review_count = a.review_count + d.n, review_milli_sum = a.review_milli_sum + d.total
        FROM (SELECT application_id, count(*) AS n, sum(weighted_milli) AS total FROM added GROUP BY 1) d
        WHERE a.id = d.application_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE applications a SET review_count = a.review_count - d.n, review_milli_sum = a.review_milli_sum - d.total
        FROM (SELECT application_id, count(*) AS n, sum(weighted_milli) AS total FROM removed GROUP BY 1) d
        WHERE a.id = d.application_id;
    ELSE
        UPDATE applications a SET review_count = a.review_count + d.n, review_milli_sum = a.review_milli_sum + d.total
        FROM (SELECT application_id, sum(n) AS n, sum(total) AS total
              FROM (SELECT application_id, 1 AS n, weighted_milli AS total FROM added
                    UNION ALL SELECT application_id, -1, -weighted_milli FROM removed) x
              GROUP BY 1) d
        WHERE a.id = d.application_id AND (d.n <> 0 OR d.total <> 0);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- One trigger per event: a trigger with transition tables may have only one.
-- (INSERT … ON CONFLICT DO UPDATE fires both, each with its own rows.)
CREATE TRIGGER reviews_tally_insert AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION reviews_tally();
CREATE TRIGGER reviews_tally_update AFTER UPDATE ON reviews
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION reviews_tally();
CREATE TRIGGER reviews_tally_delete AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION reviews_tally();

-- +goose Down
DROP TRIGGER reviews_tally_delete ON reviews;
DROP TRIGGER reviews_tally_update ON reviews;
DROP TRIGGER reviews_tally_insert ON reviews;
DROP FUNCTION reviews_tally();
ALTER TABLE applications DROP COLUMN review_milli_sum, DROP COLUMN review_count;
