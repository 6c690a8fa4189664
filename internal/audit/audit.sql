-- name: audit-record
INSERT INTO audit (actor_id, actor_label, ip, request_id, action, object_type, object_id, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

-- name: audit-recent
SELECT id, at, actor_id, actor_label, ip, request_id, action, object_type, object_id, details
FROM audit
ORDER BY at DESC, id DESC
LIMIT $1

-- name: audit-genesis
SELECT audit_genesis()

-- name: audit-verify-batch
SELECT id, prev_hash, hash, audit_entry_hash(prev_hash, a) AS computed
FROM audit a
WHERE id > $1
ORDER BY id
LIMIT $2
