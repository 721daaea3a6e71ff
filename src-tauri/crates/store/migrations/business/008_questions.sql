-- Questions on tenders (aclaraciones) go out through the outbox like bids: kind
-- `question`, its tender in `ocid`, the question's text as the snapshot the receipt
-- signs. SQLite cannot widen a CHECK, so the table is rebuilt (the runner turns
-- foreign keys off around migrations and checks them all after) and its trigger made
-- again.
CREATE TABLE submission_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'bid', 'question')),
    rfc TEXT NOT NULL,
    ocid TEXT,
    snapshot TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    signature BLOB
) STRICT;
INSERT INTO submission_new (id, kind, rfc, ocid, snapshot, sha256, body, created_at, signature)
SELECT id, kind, rfc, ocid, snapshot, sha256, body, created_at, signature FROM submission;
DROP TABLE submission;
ALTER TABLE submission_new RENAME TO submission;
CREATE TRIGGER submission_is_frozen BEFORE UPDATE ON submission
BEGIN
    SELECT RAISE(ABORT, 'a submitted snapshot is immutable');
END;
