-- Whether a signed submission's certificate was checked against revocation (OCSP) when
-- it was received: 'good', or 'unverified' when no responder was configured or none
-- answered in time. NULL for unsigned submissions and receipts issued before the check.
ALTER TABLE receipt ADD COLUMN signer_revocation TEXT;
