-- The name a locked business's owner chose to show while it is locked; NULL: not
-- locked. A locked business's row keeps no RFC, name, activity or fits (they are
-- blanked when it locks, and kept blank while it is locked).
ALTER TABLE business ADD COLUMN locked_label TEXT;
