CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE business (
    id TEXT PRIMARY KEY,
    rfc TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    persona TEXT NOT NULL DEFAULT '' CHECK (persona IN ('', 'fisica', 'moral')),
    search_key TEXT NOT NULL DEFAULT '',
    sections_done INTEGER NOT NULL DEFAULT 0,
    sections_total INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    damage TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX business_by_update ON business (updated_at DESC);
