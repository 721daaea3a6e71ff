-- The business's e.firma, remembered as where its two files are (never a copy of
-- them, never the password), and the certificate's end of validity as last read, so
-- a rebuilt index can still warn before it expires.
CREATE TABLE fiel (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    certificate_path TEXT,
    key_path TEXT,
    not_after TEXT,
    updated_at TEXT NOT NULL
) STRICT;
