//! The chamber's appointments (`app.db` table `appointment`): which business is
//! expected on which day, and at what time when the chamber's list said. The queue
//! screen reads a day's; a CSV import books them.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::params;

use crate::{Library, Result};

/// A business expected on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appointment {
    /// The business's id.
    pub business: String,
    /// The time, when the list gave one.
    pub time: Option<NaiveTime>,
}

const DAY: &str = "%Y-%m-%d";
const TIME: &str = "%H:%M";

impl Library {
    /// Books business `id` on `day`, at `time` when known. Booking it again that day
    /// keeps one appointment: a time given replaces the one kept, none keeps it.
    pub fn book_appointment(
        &self,
        id: &str,
        day: NaiveDate,
        time: Option<NaiveTime>,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO appointment (business, day, time) VALUES (?1, ?2, ?3)
                 ON CONFLICT (business, day)
                 DO UPDATE SET time = coalesce(excluded.time, appointment.time)",
                params![
                    id,
                    day.format(DAY).to_string(),
                    time.map(|t| t.format(TIME).to_string())
                ],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// The appointments of `day`: those with a time by time, then the rest in the
    /// order they were booked.
    pub fn appointments_on(&self, day: NaiveDate) -> Result<Vec<Appointment>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT business, time FROM appointment WHERE day = ?1
                 ORDER BY time IS NULL, time, rowid",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([day.format(DAY).to_string()], |r| {
                let time: Option<String> = r.get(1)?;
                Ok(Appointment {
                    business: r.get(0)?,
                    time: time.and_then(|t| NaiveTime::parse_from_str(&t, TIME).ok()),
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use ventanilla_core::RegistrationDraft;

    use super::*;

    #[test]
    fn a_days_appointments_come_by_time_once_each_and_go_with_their_business() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let new = || {
            library
                .create_business(&RegistrationDraft::default())
                .unwrap()
        };
        let (early, untimed, late, tomorrow) = (new(), new(), new(), new());
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        library.book_appointment(&untimed, day, None).unwrap();
        library.book_appointment(&late, day, at(12, 30)).unwrap();
        library.book_appointment(&early, day, at(9, 5)).unwrap();
        library
            .book_appointment(&tomorrow, day.succ_opt().unwrap(), at(8, 0))
            .unwrap();
        // Booked again: once, the time given wins, none keeps the one kept.
        library.book_appointment(&early, day, None).unwrap();
        library.book_appointment(&late, day, at(11, 0)).unwrap();

        let booked = |day| {
            library
                .appointments_on(day)
                .unwrap()
                .into_iter()
                .map(|a| (a.business, a.time))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            booked(day),
            [
                (early, at(9, 5)),
                (late.clone(), at(11, 0)),
                (untimed, None)
            ]
        );
        library.delete_business(&late).unwrap();
        assert_eq!(booked(day).len(), 2);
        assert_eq!(booked(day.succ_opt().unwrap()), [(tomorrow, at(8, 0))]);
    }
}
