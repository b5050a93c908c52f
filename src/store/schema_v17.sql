-- Schema version 17: the notice to the provider (varsel). The documents asked for in it, in
-- the order asked, each marked when received and linked to the review started from it; and the
-- interviews planned per role (role code -> number; no names).
CREATE TABLE requested_document (
    id                 INTEGER PRIMARY KEY,
    uuid               TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL CHECK (title <> ''),
    position           INTEGER NOT NULL,
    received_on        TEXT,
    document_review_id INTEGER REFERENCES document_review (id) ON DELETE SET NULL
) STRICT;
ALTER TABLE case_info ADD COLUMN planned_interviews TEXT NOT NULL DEFAULT '{}';
