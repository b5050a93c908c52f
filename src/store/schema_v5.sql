-- Schema version 5: a case file can be a provider package (`evalbench plan export --format
-- package`): a copy holding only the case facts, the deviations and the plan. `package_actions`
-- lists the action ids it was written with, so actions the provider adds are recognised as new.
ALTER TABLE case_info ADD COLUMN package_actions TEXT;
