-- Idempotency leases and sign-in attempts matter only while their instances run: a
-- lease lost in a crash had no live holder, and attempts lost forgive a little, as a
-- restart of a single server does. Unlogged, they cost no WAL and no disk flush: a
-- bid's lease, taken and given back outside its group commit, no longer waits for two
-- flushes of its own. (They are emptied after a crash and not replicated to a standby.)
ALTER TABLE idempotency_lease SET UNLOGGED;
ALTER TABLE sign_in_attempt SET UNLOGGED;
