-- Schema version 9: the rows a plan import added, so the same workbook, JSON or package read
-- again is recognised instead of adding its new rows twice. One row per action an import
-- added: the row's fingerprint (its deviation and its action text, normalised), the action it
-- became (NULL once that action is deleted: the row stays known, so a deleted action does not
-- come back from an old file), and the day it was read in. Written by the import's own command,
-- so undoing the import forgets it too.
CREATE TABLE plan_import_row (
    id          INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    action_id   INTEGER REFERENCES action (id) ON DELETE SET NULL,
    imported_on TEXT NOT NULL
) STRICT;
CREATE INDEX plan_import_row_by_action ON plan_import_row (action_id);
