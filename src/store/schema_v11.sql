-- Schema version 11: the fidelity review as the instrument prescribes. Each evaluator scores
-- blind and delivers (seals) their scores; the consensus is agreed only once both have. Each item
-- can carry a recommendation; items whose consensus is below the scale's line are points to
-- improve, and a finding made from one names the item it came from.
ALTER TABLE fidelity_scale ADD COLUMN improvement_below INTEGER NOT NULL DEFAULT 4;
ALTER TABLE fidelity_item ADD COLUMN recommendation TEXT NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN fidelity_item TEXT;

CREATE TABLE fidelity_seal (
    rater     TEXT PRIMARY KEY CHECK (rater IN ('first', 'second')),
    -- The day (YYYY-MM-DD); empty for a review scored before blind scoring existed.
    sealed_at TEXT NOT NULL
) STRICT;

-- Reviews scored before this version were never blind: both evaluators saw each other's scores.
-- Where a consensus was begun, or an evaluator scored every item, that evaluator counts as
-- having delivered, so the review opens where it stood rather than hiding what both have seen.
INSERT INTO fidelity_seal (rater, sealed_at)
SELECT r.rater, ''
FROM (SELECT 'first' AS rater UNION ALL SELECT 'second') AS r
WHERE EXISTS (SELECT 1 FROM fidelity_score WHERE rater = 'consensus')
   OR ((SELECT count(*) FROM fidelity_item) > 0
       AND (SELECT count(*) FROM fidelity_score s WHERE s.rater = r.rater)
           = (SELECT count(*) FROM fidelity_item));

-- Set only in a copy made for one evaluator to score in blind (`CaseStore::save_blind_copy`):
-- that evaluator. Never merged and never journaled: it tells a merge that the copy's lack of the
-- other evaluator's scores is not a deletion of them.
CREATE TABLE fidelity_blind_copy (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    rater     TEXT NOT NULL CHECK (rater IN ('first', 'second'))
) STRICT;
