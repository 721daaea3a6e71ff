-- `outbox.last_error` keeps the failure as a value, {"code": ..., "data": {...}}, worded
-- when it is shown, in the language of that moment. Rows written before held the
-- Spanish sentence itself: each becomes the code `earlier_error` with the sentence as
-- its text, so it still reads as it did.
UPDATE outbox
SET last_error = json_object('code', 'earlier_error', 'data', json_object('text', last_error))
WHERE last_error IS NOT NULL;
