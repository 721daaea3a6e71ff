CREATE TABLE handover (
    rfc TEXT PRIMARY KEY REFERENCES supplier (rfc),
    code_sha256 TEXT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES account (id),
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE TABLE delegation (
    rfc TEXT NOT NULL,
    operator_id TEXT NOT NULL REFERENCES account (id),
    granted_by TEXT NOT NULL REFERENCES account (id),
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (rfc, operator_id)
) STRICT;
