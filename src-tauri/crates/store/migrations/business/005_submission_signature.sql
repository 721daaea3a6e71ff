-- The e.firma of a frozen submission: the DER detached CMS (.p7s) over its snapshot,
-- written with it and never changed (the table's trigger refuses updates). NULL for
-- submissions frozen unsigned, before e.firma or by callers that do not sign.
ALTER TABLE submission ADD COLUMN signature BLOB;
