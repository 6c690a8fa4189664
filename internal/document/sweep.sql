-- name: document-sweep
SELECT storage_key
FROM documents
WHERE storage_key = ANY($1)
