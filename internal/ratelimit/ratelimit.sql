-- name: ratelimit-hit
INSERT INTO rate_limits AS r (key, hits, window_end)
VALUES ($1, 1, $2::timestamptz + $3 * INTERVAL '1 microsecond')
ON CONFLICT (key) DO UPDATE SET
    hits       = CASE WHEN r.window_end <= $2 THEN 1 ELSE r.hits + 1 END,
    window_end = CASE WHEN r.window_end <= $2 THEN EXCLUDED.window_end ELSE r.window_end END
RETURNING hits, window_end

-- name: ratelimit-reset
DELETE FROM rate_limits
WHERE key = $1

-- name: ratelimit-cleanup
DELETE FROM rate_limits
WHERE window_end <= $1
