-- Schema version 1 of an Evalbench case file. Tables are STRICT so a wrong type is an error,
-- not a silently coerced value. Dates are ISO text (YYYY-MM-DD); enums are their snake_case codes;
-- short lists of labels are JSON arrays.

CREATE TABLE case_info (
    singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
    case_id          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    provider_name    TEXT NOT NULL DEFAULT '',
    org_number       TEXT,
    measure          TEXT NOT NULL DEFAULT 'aft',
    agreed_places    INTEGER CHECK (agreed_places >= 0),
    nav_unit         TEXT NOT NULL DEFAULT '',
    period_start     TEXT,
    period_end       TEXT,
    phase            TEXT NOT NULL DEFAULT 'planning',
    feedback_meeting_date TEXT,
    plan_deadline    TEXT,
    evaluators       TEXT NOT NULL DEFAULT '[]',
    catalog_id       TEXT,
    catalog_version  TEXT,
    catalog_title    TEXT,
    catalog_source   TEXT
) STRICT;

CREATE TABLE requirement_area (
    code     TEXT PRIMARY KEY,
    title    TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE requirement (
    id        INTEGER PRIMARY KEY,
    area_code TEXT NOT NULL REFERENCES requirement_area (code),
    code      TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL,
    text      TEXT NOT NULL,
    guidance  TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL
) STRICT;

CREATE TABLE interview (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    role         TEXT NOT NULL,
    interviewees TEXT NOT NULL DEFAULT '[]',
    stage        TEXT,
    setting      TEXT NOT NULL,
    channel      TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE excerpt (
    id           INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interview (id) ON DELETE CASCADE,
    start_char   INTEGER NOT NULL CHECK (start_char >= 0),
    end_char     INTEGER NOT NULL CHECK (end_char > start_char),
    quote        TEXT NOT NULL,
    -- 0 when the notes were edited so that the quote is no longer found
    anchored     INTEGER NOT NULL DEFAULT 1,
    shareable    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX excerpt_by_interview ON excerpt (interview_id);

CREATE TABLE excerpt_requirement (
    excerpt_id     INTEGER NOT NULL REFERENCES excerpt (id) ON DELETE CASCADE,
    requirement_id INTEGER NOT NULL REFERENCES requirement (id),
    stance         TEXT NOT NULL,
    PRIMARY KEY (excerpt_id, requirement_id)
) STRICT;

-- Attached files, addressed by the SHA-256 of their content, kept inside the case file.
CREATE TABLE attachment (
    sha256     TEXT PRIMARY KEY,
    size_bytes INTEGER NOT NULL,
    content    BLOB NOT NULL
) STRICT;

CREATE TABLE document_review (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    version_label     TEXT NOT NULL DEFAULT '',
    document_date     TEXT,
    assessment        TEXT NOT NULL DEFAULT '',
    attachment_sha256 TEXT REFERENCES attachment (sha256),
    attachment_name   TEXT
) STRICT;

CREATE TABLE document_requirement (
    document_review_id INTEGER NOT NULL REFERENCES document_review (id) ON DELETE CASCADE,
    requirement_id     INTEGER NOT NULL REFERENCES requirement (id),
    stance             TEXT NOT NULL,
    PRIMARY KEY (document_review_id, requirement_id)
) STRICT;

CREATE TABLE finding (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE finding_requirement (
    finding_id     INTEGER NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
    requirement_id INTEGER NOT NULL REFERENCES requirement (id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (finding_id, requirement_id)
) STRICT;

CREATE TABLE finding_evidence (
    id                 INTEGER PRIMARY KEY,
    finding_id         INTEGER NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
    excerpt_id         INTEGER REFERENCES excerpt (id) ON DELETE CASCADE,
    document_review_id INTEGER REFERENCES document_review (id) ON DELETE CASCADE,
    CHECK ((excerpt_id IS NULL) <> (document_review_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX finding_evidence_excerpt ON finding_evidence (finding_id, excerpt_id)
    WHERE excerpt_id IS NOT NULL;
CREATE UNIQUE INDEX finding_evidence_document ON finding_evidence (finding_id, document_review_id)
    WHERE document_review_id IS NOT NULL;

CREATE TABLE feedback_meeting (
    singleton         INTEGER PRIMARY KEY CHECK (singleton = 1),
    date              TEXT,
    participants      TEXT NOT NULL DEFAULT '[]',
    summary           TEXT NOT NULL DEFAULT '',
    provider_comments TEXT NOT NULL DEFAULT ''
) STRICT;

-- An action closes one deviation; a finding with actions cannot be deleted (RESTRICT).
CREATE TABLE action (
    id               INTEGER PRIMARY KEY,
    finding_id       INTEGER NOT NULL REFERENCES finding (id) ON DELETE RESTRICT,
    description      TEXT NOT NULL,
    owner            TEXT NOT NULL DEFAULT '',
    due_date         TEXT,
    status           TEXT NOT NULL,
    closure_evidence TEXT NOT NULL DEFAULT '',
    nav_comment      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX action_by_finding ON action (finding_id);

CREATE TABLE outcome (
    year         INTEGER PRIMARY KEY,
    ended        INTEGER NOT NULL CHECK (ended >= 0),
    to_work      INTEGER NOT NULL CHECK (to_work >= 0),
    to_education INTEGER NOT NULL CHECK (to_education >= 0),
    to_other     INTEGER NOT NULL CHECK (to_other >= 0),
    CHECK (to_work + to_education + to_other <= ended)
) STRICT;

-- Every command applied to the case, in order: the basis of undo/redo and the audit trail.
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL,
    author     TEXT NOT NULL,
    target     TEXT NOT NULL,
    command    TEXT NOT NULL
) STRICT;
