-- Schema version 13: the provider's response (tilsvar) to each finding of the draft report, and
-- whether the evaluators changed the finding because of it.
ALTER TABLE finding ADD COLUMN response TEXT
    CHECK (response IS NULL OR response IN ('agrees', 'corrects_fact', 'disagrees'));
ALTER TABLE finding ADD COLUMN response_text TEXT NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN response_changed INTEGER NOT NULL DEFAULT 0
    CHECK (response_changed IN (0, 1));
