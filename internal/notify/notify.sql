-- name: notify-digest-item-insert
INSERT INTO digest_items (user_id, subject, body, created_at)
VALUES ($1, $2, $3, $4)

-- name: notify-digest-recipients
SELECT u.id, u.email, u.language, u.notify_digest
FROM users u
WHERE u.active
    AND EXISTS (SELECT 1 FROM digest_items d WHERE d.user_id = u.id AND d.sent_at IS NULL)

-- name: notify-digest-take
UPDATE digest_items
SET sent_at = $2
WHERE id IN (SELECT id FROM digest_items WHERE user_id = $1 AND sent_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
RETURNING subject, body
