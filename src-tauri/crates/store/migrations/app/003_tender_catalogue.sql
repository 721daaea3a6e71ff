-- The tender catalogue: what lists and filters need as columns; the whole tender as
-- JSON apart, so a search scans only the narrow rows. Instants are UTC RFC 3339
-- with milliseconds, so text order is time order.
CREATE TABLE tender (
    ocid TEXT PRIMARY KEY,
    release_id TEXT NOT NULL,
    release_date TEXT NOT NULL,
    title TEXT NOT NULL,
    buyer TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'active', 'withdrawn', 'complete')),
    procedure TEXT,
    category TEXT NOT NULL,
    deadline TEXT,
    search_key TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX tender_by_deadline ON tender (deadline);
CREATE TABLE tender_json (
    ocid TEXT PRIMARY KEY REFERENCES tender (ocid) ON DELETE CASCADE,
    json TEXT NOT NULL
) STRICT;
