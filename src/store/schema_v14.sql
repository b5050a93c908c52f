-- Schema version 14: each kept report version remembers the findings it held (identity, kind,
-- title, description, as JSON), so the final report can say what changed since the draft.
ALTER TABLE report_version ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';
