-- The award (fallo) of a tender, at most one: a winning bid (`active`), or none
-- (`unsuccessful`, `cancelled`); and the contract signed after an active award.
CREATE TABLE award (
    ocid TEXT PRIMARY KEY REFERENCES tender (ocid),
    status TEXT NOT NULL CHECK (status IN ('active', 'unsuccessful', 'cancelled')),
    bid_id TEXT REFERENCES bid (bid_id),
    decided_at TEXT NOT NULL,
    CHECK ((status = 'active') = (bid_id IS NOT NULL))
) STRICT;
CREATE TABLE contract (
    ocid TEXT PRIMARY KEY REFERENCES award (ocid),
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
