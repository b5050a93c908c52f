-- Schema version 7: each journal row keeps a short before/after summary of the rows the command
-- changed ("interview/3 notes: 120 → 340 chars"), for the audit trail. Part of the row's hash
-- when not empty, so older rows (with none) keep their hashes.
ALTER TABLE journal ADD COLUMN summary TEXT NOT NULL DEFAULT '';
