-- +goose Up
-- The time zone a person reads times in: an IANA name they chose on their
-- profile, or '' for their browser's (else UTC). Times are always shown
-- with their zone.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT '' CHECK (length(time_zone) <= 64);

-- +goose Down
ALTER TABLE users DROP COLUMN time_zone;
