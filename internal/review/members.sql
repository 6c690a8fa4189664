-- name: review-members
SELECT id, name
FROM users
WHERE is_board AND active
ORDER BY name, id
