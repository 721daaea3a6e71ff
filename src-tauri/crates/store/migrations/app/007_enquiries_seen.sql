-- The answers to questions on a tender the person has seen on its page, with the
-- instant of the answer seen: an answer not here, or changed since, is shown as new.
CREATE TABLE enquiry_seen (
    ocid TEXT NOT NULL,
    enquiry_id TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (ocid, enquiry_id)
) STRICT;
-- The title of the tender a business's sent bid last won, as the last sync's catalogue
-- published its award; NULL when none did. For the home card, without opening it.
ALTER TABLE business ADD COLUMN won TEXT;
