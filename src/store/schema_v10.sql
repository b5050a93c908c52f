-- Schema version 10: team work. Every entity a command creates gets an identity that is the same
-- in every copy of the case and never collides between copies, so two evaluators' copies can be
-- merged (`store::merge`). New rows get a UUID v7 from the program. Rows already in the case get a
-- UUID v5 derived from the case id, the table and the row id (`evalbench_stable_uuid`), so two
-- copies of one older file, upgraded apart, name the same rows alike. The integer ids stay for
-- joins. Requirements, fidelity items, outcome years and the links between rows are named by
-- their natural keys (codes, years, the two ends), which are already the same in every copy.
ALTER TABLE interview ADD COLUMN uuid TEXT;
ALTER TABLE excerpt ADD COLUMN uuid TEXT;
ALTER TABLE document_review ADD COLUMN uuid TEXT;
ALTER TABLE finding ADD COLUMN uuid TEXT;
ALTER TABLE action ADD COLUMN uuid TEXT;
ALTER TABLE plan_import_row ADD COLUMN uuid TEXT;

UPDATE interview SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'interview', id);
UPDATE excerpt SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'excerpt', id);
UPDATE document_review SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'document_review', id);
UPDATE finding SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'finding', id);
UPDATE action SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'action', id);
UPDATE plan_import_row SET uuid = evalbench_stable_uuid((SELECT case_id FROM case_info), 'plan_import_row', id);

CREATE UNIQUE INDEX interview_uuid ON interview (uuid);
CREATE UNIQUE INDEX excerpt_uuid ON excerpt (uuid);
CREATE UNIQUE INDEX document_review_uuid ON document_review (uuid);
CREATE UNIQUE INDEX finding_uuid ON finding (uuid);
CREATE UNIQUE INDEX action_uuid ON action (uuid);
CREATE UNIQUE INDEX plan_import_row_uuid ON plan_import_row (uuid);

-- The journal rows of another copy that a merge brought in: that copy's part of the audit trail,
-- each row still carrying the hash it had there, chained to `previous` (a row of this journal or
-- of this table). `merge_head` names the merge they came with: the other copy's last hash.
CREATE TABLE merged_journal (
    hash       TEXT PRIMARY KEY,
    previous   TEXT NOT NULL,
    merge_head TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    author     TEXT NOT NULL,
    target     TEXT NOT NULL,
    command    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    reverts    INTEGER,
    inverse    TEXT,
    summary    TEXT NOT NULL DEFAULT ''
) STRICT;
