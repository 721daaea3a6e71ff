-- The bank catalogue last received, as received; none: the shipped one.
CREATE TABLE bank_catalogue (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    json TEXT NOT NULL,
    replaced_at TEXT NOT NULL
) STRICT;
