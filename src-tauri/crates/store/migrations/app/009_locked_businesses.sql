-- The name a locked business's owner chose to show while it is locked; NULL: not
-- locked. A locked business's row keeps no RFC, name, activity or fits (they are
-- blanked when it locks, and kept blank while it is locked).
ALTER TABLE business ADD COLUMN locked_label TEXT;

-- What the day's report needs of a locked business, kept when it locked again after a
-- day's work (its own file cannot be read then): no RFC, name or other personal data.
CREATE TABLE locked_day_facts (
    business TEXT NOT NULL REFERENCES business (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    facts TEXT NOT NULL,
    PRIMARY KEY (business, day)
) STRICT;
