-- The server's schema on PostgreSQL, as the SQLite migrations 001 to 006 left it, in
-- native types: uuid ids, timestamptz instants, numeric money, bigint sizes and log
-- indexes, jsonb for the lists the server only reads back. Snapshots, questions and
-- releases stay text: receipts sign their exact bytes, which jsonb would not keep.
CREATE TABLE account (
    id uuid PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('supplier', 'operator')),
    email text NOT NULL UNIQUE,
    rfc text,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX supplier_account_rfc ON account (rfc) WHERE role = 'supplier';
CREATE TABLE session (
    token_sha256 text PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES account (id),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE TABLE document (
    account_id uuid NOT NULL REFERENCES account (id),
    sha256 text NOT NULL,
    size bigint NOT NULL,
    PRIMARY KEY (account_id, sha256)
);
CREATE TABLE upload (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES account (id),
    size bigint NOT NULL,
    "offset" bigint NOT NULL,
    sha256 text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE idempotency (
    account_id uuid NOT NULL REFERENCES account (id),
    key text NOT NULL,
    fingerprint text NOT NULL,
    status integer NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (account_id, key)
);
-- Where the receipt log continues: one row, locked FOR UPDATE by each batch that
-- appends, so that every instance's batches take their places in one gapless chain.
CREATE TABLE log_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    next_index bigint NOT NULL,
    last_hash text NOT NULL
);
CREATE TABLE receipt (
    log_index bigint PRIMARY KEY,
    receipt_id uuid NOT NULL UNIQUE,
    kind text NOT NULL,
    subject_rfc text NOT NULL,
    payload_sha256 text NOT NULL,
    server_time timestamptz NOT NULL,
    previous_hash text NOT NULL,
    signature text NOT NULL,
    entry_hash text NOT NULL,
    account_id uuid NOT NULL REFERENCES account (id),
    signature_sha256 text,
    signer text,
    signer_certificate_number text,
    signer_revocation text
);
CREATE TABLE supplier (
    rfc text PRIMARY KEY,
    registrar_id uuid NOT NULL REFERENCES account (id)
);
CREATE TABLE registration (
    submission_id uuid PRIMARY KEY,
    rfc text NOT NULL REFERENCES supplier (rfc),
    account_id uuid NOT NULL REFERENCES account (id),
    employer boolean NOT NULL,
    snapshot text NOT NULL,
    documents jsonb NOT NULL,
    submitted_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'en_revision',
    reviewed_at timestamptz,
    observations jsonb NOT NULL DEFAULT '[]',
    log_index bigint NOT NULL REFERENCES receipt (log_index),
    efirma bytea
);
CREATE INDEX registration_by_rfc ON registration (rfc, submitted_at);
CREATE TABLE tender (
    ocid text PRIMARY KEY,
    release text NOT NULL,
    deadline timestamptz NOT NULL,
    opening timestamptz NOT NULL,
    enquiry_end timestamptz
);
CREATE TABLE bid (
    bid_id uuid PRIMARY KEY,
    ocid text NOT NULL REFERENCES tender (ocid),
    tenderer_rfc text NOT NULL,
    account_id uuid NOT NULL REFERENCES account (id),
    snapshot text NOT NULL,
    documents jsonb NOT NULL,
    amount numeric NOT NULL,
    currency text NOT NULL,
    submitted_at timestamptz NOT NULL,
    log_index bigint NOT NULL REFERENCES receipt (log_index),
    efirma bytea,
    UNIQUE (ocid, tenderer_rfc)
);
CREATE TABLE handover (
    rfc text PRIMARY KEY REFERENCES supplier (rfc),
    code_sha256 text NOT NULL,
    issued_by uuid NOT NULL REFERENCES account (id),
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE TABLE delegation (
    rfc text NOT NULL,
    operator_id uuid NOT NULL REFERENCES account (id),
    granted_by uuid NOT NULL REFERENCES account (id),
    granted_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (rfc, operator_id)
);
CREATE TABLE award (
    ocid text PRIMARY KEY REFERENCES tender (ocid),
    status text NOT NULL CHECK (status IN ('active', 'unsuccessful', 'cancelled')),
    bid_id uuid REFERENCES bid (bid_id),
    decided_at timestamptz NOT NULL,
    CHECK ((status = 'active') = (bid_id IS NOT NULL))
);
CREATE TABLE contract (
    ocid text PRIMARY KEY REFERENCES award (ocid),
    amount numeric NOT NULL,
    currency text NOT NULL,
    start_date timestamptz NOT NULL,
    end_date timestamptz NOT NULL,
    signed_at timestamptz NOT NULL
);
CREATE TABLE enquiry (
    enquiry_id uuid PRIMARY KEY,
    ocid text NOT NULL REFERENCES tender (ocid),
    asker_rfc text NOT NULL,
    account_id uuid NOT NULL REFERENCES account (id),
    question text NOT NULL,
    asked_at timestamptz NOT NULL,
    log_index bigint NOT NULL REFERENCES receipt (log_index)
);
CREATE INDEX enquiry_by_tender ON enquiry (ocid, asked_at);
CREATE TABLE enquiry_answer (
    enquiry_id uuid NOT NULL REFERENCES enquiry (enquiry_id),
    revision integer NOT NULL,
    answer text NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (enquiry_id, revision)
);
