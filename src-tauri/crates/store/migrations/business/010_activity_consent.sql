-- When the owner's consent to the chamber's capture was recorded for the turn a span
-- belongs to (chamber mode asks for it once per turn); NULL outside chamber mode.
ALTER TABLE activity ADD COLUMN consent_at TEXT;
