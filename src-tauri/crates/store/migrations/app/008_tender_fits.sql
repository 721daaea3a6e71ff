-- What a business does, for «Para ti»: its SCIAN code and the goods and services it
-- offers, as typed in its registration; NULL until recorded (an index made before
-- this migration fills them once, from each business's own draft, when it opens).
ALTER TABLE business ADD COLUMN scian TEXT;
ALTER TABLE business ADD COLUMN offer TEXT;
-- The open tenders that fit it, as the last refresh found them: how many, the newest
-- few with why (JSON), and the soonest deadline among them, after which the count is
-- stale; fit_until '' asks for a refresh (its activity changed).
ALTER TABLE business ADD COLUMN fit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE business ADD COLUMN fit_top TEXT NOT NULL DEFAULT '[]';
ALTER TABLE business ADD COLUMN fit_until TEXT DEFAULT '';
-- Fitting tenders told to the person once each: new to the catalogue, or closing
-- within 3 days; shown = 1 once the window has shown the notice.
CREATE TABLE fit_notice (
    business TEXT NOT NULL REFERENCES business (id) ON DELETE CASCADE,
    ocid TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('new', 'closing')),
    told_at TEXT NOT NULL,
    shown INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (business, ocid, kind)
) STRICT;
