//! Who worked on a business and when (`business.db` table `activity`): stretches of
//! work, each its operator's first and last action and how many there were. The desk
//! stamps them; the chamber's report of the day reads them.

use chrono::{DateTime, Utc};
use rusqlite::params;
use ventanilla_core::day_report::ActivitySpan;

use crate::{stamp, BusinessStore, Result};

impl BusinessStore {
    /// Writes the span `id` as it now stands: created on its first action, then its end
    /// and count moved on with each later write.
    pub fn record_activity(&self, id: &str, span: &ActivitySpan) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO activity (id, operator, started_at, ended_at, actions, consent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at,
                     actions = excluded.actions, consent_at = excluded.consent_at",
                params![
                    id,
                    span.operator,
                    stamp(span.started_at),
                    stamp(span.ended_at),
                    span.actions,
                    span.consent_at.map(stamp),
                ],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// The spans that overlap `from..to`, the earliest first.
    pub fn activity_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ActivitySpan>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT operator, started_at, ended_at, actions, consent_at FROM activity
                 WHERE ended_at >= ?1 AND started_at < ?2 ORDER BY started_at, id",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map(params![stamp(from), stamp(to)], |r| {
                Ok(ActivitySpan {
                    operator: r.get(0)?,
                    started_at: r.get(1)?,
                    ended_at: r.get(2)?,
                    actions: r.get(3)?,
                    consent_at: r.get(4)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{Duration, TimeZone};
    use ventanilla_core::RegistrationDraft;

    use super::*;
    use crate::Library;

    #[test]
    fn a_span_grows_in_place_and_is_found_by_the_time_it_overlaps() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let id = library
            .create_business(&RegistrationDraft::default())
            .unwrap();
        let store = library.open_business(&id).unwrap();
        let nine = Utc.with_ymd_and_hms(2026, 12, 4, 15, 0, 0).unwrap();
        let mut span = ActivitySpan {
            operator: "Ana Ruiz".into(),
            started_at: nine,
            ended_at: nine,
            actions: 1,
            consent_at: None,
        };
        store.record_activity("s1", &span).unwrap();
        span.ended_at = nine + Duration::minutes(25);
        span.actions = 7;
        span.consent_at = Some(nine + Duration::minutes(1));
        store.record_activity("s1", &span).unwrap();
        let later = ActivitySpan {
            operator: "Luis Peña".into(),
            started_at: nine + Duration::hours(3),
            ended_at: nine + Duration::hours(3),
            actions: 1,
            consent_at: None,
        };
        store.record_activity("s2", &later).unwrap();

        let all = store
            .activity_between(nine - Duration::hours(1), nine + Duration::hours(5))
            .unwrap();
        assert_eq!(all, [span.clone(), later]);
        let morning = store
            .activity_between(nine + Duration::minutes(20), nine + Duration::hours(1))
            .unwrap();
        assert_eq!(morning, [span]);
        assert!(store
            .activity_between(nine + Duration::hours(4), nine + Duration::hours(5))
            .unwrap()
            .is_empty());
    }
}
