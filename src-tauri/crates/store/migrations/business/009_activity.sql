-- Who worked on the business and when: one row per stretch of work (an operator's
-- actions on it without a long pause), stamped by the window's commands, for the
-- chamber's report of the day. The operator is the name Configuración had at the
-- time ('' outside chamber mode).
CREATE TABLE IF NOT EXISTS activity (
    id TEXT PRIMARY KEY,
    operator TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    actions INTEGER NOT NULL CHECK (actions >= 1)
) STRICT;

CREATE INDEX IF NOT EXISTS activity_by_end ON activity (ended_at);
