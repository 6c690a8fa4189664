-- +goose Up
-- Choices admins make for the whole portal, such as whether the impact page
-- is public.
CREATE TABLE settings (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z_.]{1,60}$'),
    value      text NOT NULL,
    updated_by bigint REFERENCES users,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE settings;
