-- Schema version 3: the journal is hash-chained, so an edit of the audit trail is detected.
-- `hash` = SHA-256 over the previous row's hash and this row's fields (see `store::journal`).
-- Rows written by older versions get their hashes when the case is next opened.
ALTER TABLE journal ADD COLUMN hash TEXT;
