CREATE TABLE bid (
    id TEXT PRIMARY KEY,
    ocid TEXT NOT NULL,
    -- The tender as the bid was prepared or last confirmed against (JSON).
    tender TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
-- item is '' for the fields of the whole bid.
CREATE TABLE bid_field (
    bid TEXT NOT NULL REFERENCES bid (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bid, item, field)
) STRICT;
CREATE TABLE bid_annex (
    bid TEXT NOT NULL REFERENCES bid (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (bid, item, sha256)
) STRICT;
