-- A frozen submission: the exact request body sent (and re-sent) to the server,
-- whose canonical snapshot the receipt signs. Never changed once written.
CREATE TABLE submission (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'bid')),
    -- The RFC the submission is about (the receipt's subject).
    rfc TEXT NOT NULL,
    -- The tender, for a bid.
    ocid TEXT,
    snapshot TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER submission_is_frozen BEFORE UPDATE ON submission
BEGIN
    SELECT RAISE(ABORT, 'a submitted snapshot is immutable');
END;
-- The files a submission references; the vault keeps them while one does.
CREATE TABLE submission_document (
    submission TEXT NOT NULL REFERENCES submission (id),
    position INTEGER NOT NULL,
    requirement TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (submission, position)
) STRICT;
CREATE INDEX submission_document_by_hash ON submission_document (sha256);
-- Where each submission stands on its way to the server.
CREATE TABLE outbox (
    submission TEXT PRIMARY KEY REFERENCES submission (id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'needs_attention')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    bytes_done INTEGER NOT NULL DEFAULT 0,
    bytes_total INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);
-- The server's signed receipt, stored once it verified with the pinned key.
CREATE TABLE receipt (
    submission TEXT PRIMARY KEY REFERENCES submission (id),
    receipt_id TEXT NOT NULL,
    json TEXT NOT NULL,
    key_id TEXT NOT NULL,
    verified_at TEXT NOT NULL
) STRICT;
-- Uploads begun on the server, so that a cut one continues, even after a restart.
CREATE TABLE upload (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    upload_id TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
-- The alcaldía's last word on the registration, as pulled.
CREATE TABLE review_status (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    status TEXT NOT NULL,
    submission TEXT NOT NULL,
    reviewed_at TEXT,
    -- JSON array of {requirement, text}.
    observations TEXT NOT NULL,
    pulled_at TEXT NOT NULL
) STRICT;
