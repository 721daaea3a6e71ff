-- Submissions of the business not yet sent, as counted when it last opened; NULL:
-- not counted since the index was made, so a damaged business may have some.
ALTER TABLE business ADD COLUMN unsent INTEGER;
