-- The chamber's appointments: which business is expected on which day (Mexico City)
-- and, when the CSV gave one, at what time ('HH:MM'). Only the business's id: nothing
-- personal, so a locked business's appointment shows by its label.
CREATE TABLE appointment (
    business TEXT NOT NULL REFERENCES business (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    time TEXT,
    PRIMARY KEY (business, day)
) STRICT;

CREATE INDEX appointment_by_day ON appointment (day, time);
