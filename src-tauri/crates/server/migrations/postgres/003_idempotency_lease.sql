-- An idempotency key whose first request an instance is processing: claimed by one
-- instance at a time, given back when the request ends, and taken over once expired
-- (its instance stopped without giving it back).
CREATE TABLE idempotency_lease (
    account uuid NOT NULL,
    key text NOT NULL,
    holder uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (account, key)
);
