-- The requirement catalogue last received, as received; none: the shipped one.
CREATE TABLE catalogue (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    json TEXT NOT NULL,
    replaced_at TEXT NOT NULL
) STRICT;
ALTER TABLE business ADD COLUMN next_expiry TEXT;
