-- Schema version 8: the day an action's status change is recorded comes from the program
-- (`evalbench_record_day()`, the computer's date unless a case is being built with a story of
-- its own, such as the demo's months of follow-up), no longer from SQLite's clock directly.
DROP TRIGGER action_status_on_insert;
CREATE TRIGGER action_status_on_insert AFTER INSERT ON action
BEGIN
    INSERT INTO action_status_change (action_id, status, changed_on)
    VALUES (new.id, new.status, evalbench_record_day());
END;

DROP TRIGGER action_status_on_update;
CREATE TRIGGER action_status_on_update AFTER UPDATE OF status ON action
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO action_status_change (action_id, status, changed_on)
    VALUES (new.id, new.status, evalbench_record_day());
END;
