-- Schema version 6: the day each action reached each status, for follow-up (actions by status
-- over time, the day NAV verified a closure). Kept by triggers, so every way an action changes
-- (commands, plan imports, undo and redo) is recorded; the undo machinery does not track this
-- table, so taking an edit back is itself a dated change.
CREATE TABLE action_status_change (
    seq        INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL,
    status     TEXT NOT NULL,
    changed_on TEXT NOT NULL
) STRICT;
CREATE INDEX action_status_change_by_action ON action_status_change (action_id, seq);

CREATE TRIGGER action_status_on_insert AFTER INSERT ON action
BEGIN
    INSERT INTO action_status_change (action_id, status, changed_on)
    VALUES (new.id, new.status, date('now', 'localtime'));
END;

CREATE TRIGGER action_status_on_update AFTER UPDATE OF status ON action
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO action_status_change (action_id, status, changed_on)
    VALUES (new.id, new.status, date('now', 'localtime'));
END;

-- Actions already in the case: their present status, dated by the journal's first row about them.
INSERT INTO action_status_change (action_id, status, changed_on)
SELECT a.id, a.status,
       COALESCE((SELECT substr(min(j.applied_at), 1, 10) FROM journal j
                 WHERE j.target = 'action/' || a.id),
                date('now', 'localtime'))
FROM action a ORDER BY a.id;
