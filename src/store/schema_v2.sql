-- Schema version 2: undo/redo through the journal, and full-text search.

-- Each journal row is an edit, or the undo or redo of an earlier row (`reverts`). `inverse` is a JSON
-- array of the row-level SQL statements that take that row's changes back, recorded by temporary
-- triggers (see `store::history`). Rows from version 1 have none, so undo stops at them.
ALTER TABLE journal ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit'
    CHECK (kind IN ('edit', 'undo', 'redo'));
ALTER TABLE journal ADD COLUMN reverts INTEGER REFERENCES journal (seq);
ALTER TABLE journal ADD COLUMN inverse TEXT;

-- One FTS5 row per searchable text field. rowid = entity id * 16 + field code, so triggers update
-- and delete by rowid without a scan; the codes are mirrored in `store::search::Field`.
CREATE VIRTUAL TABLE search_text USING fts5 (body, tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER interview_search_insert AFTER INSERT ON interview BEGIN
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 1, new.notes);
END;
CREATE TRIGGER interview_search_update AFTER UPDATE OF notes ON interview BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 16 + 1;
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 1, new.notes);
END;
CREATE TRIGGER interview_search_delete AFTER DELETE ON interview BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 16 + 1;
END;

CREATE TRIGGER excerpt_search_insert AFTER INSERT ON excerpt BEGIN
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 2, new.quote);
END;
CREATE TRIGGER excerpt_search_update AFTER UPDATE OF quote ON excerpt BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 16 + 2;
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 2, new.quote);
END;
CREATE TRIGGER excerpt_search_delete AFTER DELETE ON excerpt BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 16 + 2;
END;

CREATE TRIGGER finding_search_insert AFTER INSERT ON finding BEGIN
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 3, new.title);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 4, new.description);
END;
CREATE TRIGGER finding_search_update AFTER UPDATE OF title, description ON finding BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 3, old.id * 16 + 4);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 3, new.title);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 4, new.description);
END;
CREATE TRIGGER finding_search_delete AFTER DELETE ON finding BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 3, old.id * 16 + 4);
END;

CREATE TRIGGER action_search_insert AFTER INSERT ON action BEGIN
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 5, new.description);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 6, new.closure_evidence);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 7, new.nav_comment);
END;
CREATE TRIGGER action_search_update AFTER UPDATE OF description, closure_evidence, nav_comment
    ON action BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 5, old.id * 16 + 6, old.id * 16 + 7);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 5, new.description);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 6, new.closure_evidence);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 7, new.nav_comment);
END;
CREATE TRIGGER action_search_delete AFTER DELETE ON action BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 5, old.id * 16 + 6, old.id * 16 + 7);
END;

CREATE TRIGGER document_search_insert AFTER INSERT ON document_review BEGIN
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 8, new.title);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 9, new.assessment);
END;
CREATE TRIGGER document_search_update AFTER UPDATE OF title, assessment ON document_review BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 8, old.id * 16 + 9);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 8, new.title);
    INSERT INTO search_text (rowid, body) VALUES (new.id * 16 + 9, new.assessment);
END;
CREATE TRIGGER document_search_delete AFTER DELETE ON document_review BEGIN
    DELETE FROM search_text WHERE rowid IN (old.id * 16 + 8, old.id * 16 + 9);
END;

INSERT INTO search_text (rowid, body) SELECT id * 16 + 1, notes FROM interview;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 2, quote FROM excerpt;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 3, title FROM finding;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 4, description FROM finding;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 5, description FROM action;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 6, closure_evidence FROM action;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 7, nav_comment FROM action;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 8, title FROM document_review;
INSERT INTO search_text (rowid, body) SELECT id * 16 + 9, assessment FROM document_review;
