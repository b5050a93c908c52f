-- Schema version 15: closing the case (the day, and why when the plan was not verified closed)
-- and how many days after closing the participants' personal data must be deleted.
ALTER TABLE case_info ADD COLUMN closed_on TEXT;
ALTER TABLE case_info ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE case_info ADD COLUMN retention_days INTEGER
    CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650);
