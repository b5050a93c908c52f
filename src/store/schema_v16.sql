-- Schema version 16: deleting the participants' personal data at the end of a case. The day it
-- was done travels with the case (a merge with an older copy deletes again what that copy
-- still holds), and a document review can be marked as holding personal data, so its attached
-- file goes with the rest.
ALTER TABLE case_info ADD COLUMN personal_data_deleted_on TEXT;
ALTER TABLE document_review ADD COLUMN personal INTEGER NOT NULL DEFAULT 0 CHECK (personal IN (0, 1));
