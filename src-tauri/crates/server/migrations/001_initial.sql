CREATE TABLE account (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('supplier', 'operator')),
    email TEXT NOT NULL UNIQUE,
    rfc TEXT,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX supplier_account_rfc ON account (rfc) WHERE role = 'supplier';
CREATE TABLE session (
    token_sha256 TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    expires_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE TABLE document (
    account_id TEXT NOT NULL REFERENCES account (id),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (account_id, sha256)
) STRICT;
CREATE TABLE upload (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    size INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE idempotency (
    account_id TEXT NOT NULL REFERENCES account (id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
) STRICT;
CREATE TABLE receipt (
    log_index INTEGER PRIMARY KEY,
    receipt_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject_rfc TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    server_time TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES account (id)
) STRICT;
CREATE TABLE supplier (
    rfc TEXT PRIMARY KEY,
    registrar_id TEXT NOT NULL REFERENCES account (id)
) STRICT;
CREATE TABLE registration (
    submission_id TEXT PRIMARY KEY,
    rfc TEXT NOT NULL REFERENCES supplier (rfc),
    account_id TEXT NOT NULL REFERENCES account (id),
    employer INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    documents TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'en_revision',
    reviewed_at TEXT,
    observations TEXT NOT NULL DEFAULT '[]',
    log_index INTEGER NOT NULL REFERENCES receipt (log_index)
) STRICT;
CREATE INDEX registration_by_rfc ON registration (rfc, submitted_at);
CREATE TABLE tender (
    ocid TEXT PRIMARY KEY,
    release TEXT NOT NULL,
    deadline TEXT NOT NULL,
    opening TEXT NOT NULL
) STRICT;
CREATE TABLE bid (
    bid_id TEXT PRIMARY KEY,
    ocid TEXT NOT NULL REFERENCES tender (ocid),
    tenderer_rfc TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES account (id),
    snapshot TEXT NOT NULL,
    documents TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    log_index INTEGER NOT NULL REFERENCES receipt (log_index),
    UNIQUE (ocid, tenderer_rfc)
) STRICT;
