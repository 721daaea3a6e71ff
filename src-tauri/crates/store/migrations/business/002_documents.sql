-- One row per file attached to a checklist item. The current document of an item
-- is the one not replaced; the rows it replaced are its history. Representatives
-- are not a foreign key: removing one keeps the history of their documents.
CREATE TABLE document (
    id TEXT PRIMARY KEY,
    requirement TEXT NOT NULL,
    representative TEXT,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    original_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    size INTEGER NOT NULL CHECK (size > 0),
    pages INTEGER,
    issued_on TEXT,
    expires_on TEXT,
    attached_at TEXT NOT NULL,
    -- Deferred: a replacement marks the old row before the new one is inserted.
    replaced_by TEXT REFERENCES document (id) DEFERRABLE INITIALLY DEFERRED,
    rejected_reason TEXT
) STRICT;
CREATE UNIQUE INDEX document_current
    ON document (requirement, COALESCE(representative, '')) WHERE replaced_by IS NULL;
CREATE INDEX document_by_hash ON document (sha256);
