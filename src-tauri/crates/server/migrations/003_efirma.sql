-- A submission's e.firma: the receipt binds its SHA-256 and names its signer and
-- certificate number (NULL for unsigned submissions, and for every receipt issued
-- before e.firma); the registration or bid keeps the .p7s itself as evidence.
ALTER TABLE receipt ADD COLUMN signature_sha256 TEXT;
ALTER TABLE receipt ADD COLUMN signer TEXT;
ALTER TABLE receipt ADD COLUMN signer_certificate_number TEXT;
ALTER TABLE registration ADD COLUMN efirma BLOB;
ALTER TABLE bid ADD COLUMN efirma BLOB;
