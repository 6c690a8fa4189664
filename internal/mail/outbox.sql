-- name: mail-recipient-zone
-- The time zone the recipient chose on their profile ('' for none, or for
-- an address that is nobody's account yet).
SELECT coalesce((SELECT time_zone FROM users WHERE lower(email) = lower($1) LIMIT 1), '')
