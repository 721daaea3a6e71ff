-- When each business's e.firma certificate stops being valid, as last read: the home
-- list warns before it does without opening every business.
ALTER TABLE business ADD COLUMN fiel_not_after TEXT;
