-- Questions on a tender (aclaraciones) and the alcaldía's answers. The enquiry period
-- ends at `tender.enquiry_end` (NULL: at the deadline). A question is recorded with its
-- receipt, like a bid; who asked is kept for the receipt and the idempotency key, never
-- published. Each answer given or changed is a new revision, so the tender's record
-- shows what was answered when.
ALTER TABLE tender ADD COLUMN enquiry_end TEXT;
CREATE TABLE enquiry (
    enquiry_id TEXT PRIMARY KEY,
    ocid TEXT NOT NULL REFERENCES tender (ocid),
    asker_rfc TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES account (id),
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    log_index INTEGER NOT NULL REFERENCES receipt (log_index)
) STRICT;
CREATE INDEX enquiry_by_tender ON enquiry (ocid, asked_at);
CREATE TABLE enquiry_answer (
    enquiry_id TEXT NOT NULL REFERENCES enquiry (enquiry_id),
    revision INTEGER NOT NULL,
    answer TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (enquiry_id, revision)
) STRICT;
