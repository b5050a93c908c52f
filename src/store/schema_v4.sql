-- Schema version 4: catalogs carry evidence sources and interview questions; a case can be a
-- provider's self-evaluation; interviews record which guide questions were covered; a case can
-- hold a fidelity review (its own copy of a scale, and each rater's scores).
ALTER TABLE case_info ADD COLUMN self_evaluation INTEGER NOT NULL DEFAULT 0
    CHECK (self_evaluation IN (0, 1));
ALTER TABLE requirement ADD COLUMN evidence_sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE requirement ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';

-- A question is named by its requirement and its position in that requirement's list.
CREATE TABLE interview_question (
    interview_id   INTEGER NOT NULL REFERENCES interview (id) ON DELETE CASCADE,
    requirement_id INTEGER NOT NULL REFERENCES requirement (id) ON DELETE CASCADE,
    question       INTEGER NOT NULL CHECK (question >= 0),
    PRIMARY KEY (interview_id, requirement_id, question)
) STRICT;

CREATE TABLE fidelity_scale (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    catalog_id TEXT NOT NULL,
    version    TEXT NOT NULL,
    title      TEXT NOT NULL,
    source     TEXT NOT NULL,
    min_score  INTEGER NOT NULL,
    max_score  INTEGER NOT NULL CHECK (max_score > min_score),
    bands      TEXT NOT NULL,
    sections   TEXT NOT NULL
) STRICT;

CREATE TABLE fidelity_item (
    id           INTEGER PRIMARY KEY,
    section_code TEXT NOT NULL,
    code         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    guidance     TEXT NOT NULL DEFAULT '',
    anchors      TEXT NOT NULL,
    position     INTEGER NOT NULL
) STRICT;

CREATE TABLE fidelity_score (
    item_id   INTEGER NOT NULL REFERENCES fidelity_item (id) ON DELETE CASCADE,
    rater     TEXT NOT NULL CHECK (rater IN ('first', 'second', 'consensus')),
    score     INTEGER NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (item_id, rater)
) STRICT;
