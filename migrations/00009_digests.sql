-- +goose Up
-- A person may take the board's notices as one daily summary instead of one
-- email each: the notices wait here, already written in their language.
ALTER TABLE users ADD COLUMN notify_digest boolean NOT NULL DEFAULT false;

CREATE TABLE digest_items (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz
);
CREATE INDEX digest_items_pending_idx ON digest_items (user_id, id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE digest_items;
ALTER TABLE users DROP COLUMN notify_digest;
