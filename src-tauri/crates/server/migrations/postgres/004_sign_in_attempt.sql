-- Sign-in attempts of the last minutes, so that every instance judges a guesser by all
-- of its failures: counted on the email from the moment an attempt is let through
-- (forgiven when it succeeds), and on the address once its password proved wrong.
-- Rows older than the limiter's window are deleted as attempts come.
CREATE TABLE sign_in_attempt (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    address text NOT NULL,
    at timestamptz NOT NULL,
    failed boolean NOT NULL DEFAULT false,
    forgiven boolean NOT NULL DEFAULT false
);
CREATE INDEX sign_in_attempt_email ON sign_in_attempt (email, at);
CREATE INDEX sign_in_attempt_address ON sign_in_attempt (address, at) WHERE failed;
CREATE INDEX sign_in_attempt_at ON sign_in_attempt (at);
