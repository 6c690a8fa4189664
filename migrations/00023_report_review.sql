-- +goose Up
-- The IPA's answer to a post-trip report, kept with the report: when, by
-- whom, and the note asking for corrections, so that the charity reads the
-- note on the report's page and not only in its email.
ALTER TABLE reports
    ADD COLUMN reviewed_at timestamptz,
    ADD COLUMN reviewed_by bigint REFERENCES users,
    ADD COLUMN review_note text NOT NULL DEFAULT '' CHECK (length(review_note) <= 5000),
    ADD CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL));

-- Reports reviewed before: the last review in the audit trail (written in
-- the review's own transaction, so every review has one).
UPDATE reports r SET reviewed_at = a.at, reviewed_by = a.actor_id, review_note = coalesce(a.details->>'note', '')
FROM (SELECT DISTINCT ON (object_id) object_id, at, actor_id, details FROM audit
      WHERE object_type = 'application' AND action IN ('report.accepted', 'report.corrections_requested') AND actor_id IS NOT NULL
      ORDER BY object_id, at DESC, id DESC) a
WHERE a.object_id = r.application_id::text AND r.status IN ('accepted', 'corrections_requested');

-- A message of the application's thread may be about something in
-- particular: 'report_corrections' is the IPA's note sending the post-trip
-- report back, which the thread shows as such.
ALTER TABLE application_messages ADD COLUMN about text CHECK (about IN ('report_corrections'));
UPDATE application_messages m SET about = 'report_corrections'
FROM audit a
WHERE a.object_type = 'application' AND a.action = 'report.corrections_requested' AND a.object_id = m.application_id::text
  AND m.from_ipa AND m.author_id = a.actor_id AND m.body = a.details->>'note';

-- +goose Down
ALTER TABLE application_messages DROP COLUMN about;
ALTER TABLE reports DROP COLUMN review_note, DROP COLUMN reviewed_by, DROP COLUMN reviewed_at;
