CREATE TABLE registration_field (
    field TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE representative (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    curp TEXT NOT NULL DEFAULT '',
    power_of_attorney TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
