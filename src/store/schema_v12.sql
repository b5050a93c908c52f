-- Schema version 12: report versions kept as sent (a draft for the provider's comments, then the
-- final report). The file is an attachment (by SHA-256, content-addressed); the row says what it
-- was and when. A kept version never changes: only keeping one (insert) and undoing that (delete).
CREATE TABLE report_version (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('draft', 'final')),
    made_on           TEXT NOT NULL,
    made_by           TEXT NOT NULL,
    answer_by         TEXT,
    file_name         TEXT NOT NULL,
    attachment_sha256 TEXT NOT NULL REFERENCES attachment (sha256)
) STRICT;

CREATE TRIGGER report_version_kept BEFORE UPDATE ON report_version
BEGIN
    SELECT RAISE(ABORT, 'a kept report version does not change');
END;
