-- The public key the receipt log is signed with (standard base64), recorded by the
-- first instance to start: one whose key file is another (not copied from the others,
-- or lost and made anew) is refused instead of signing part of the log with a key the
-- rest of it does not name.
CREATE TABLE log_key (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    public_key text NOT NULL
);
