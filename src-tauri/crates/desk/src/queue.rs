//! The chamber's queue of the day: the businesses booked for today (from the
//! appointments CSV), in the order of their times, then those served today without
//! an appointment; each with how it stands and the minutes spent on it today.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;
use ventanilla_core::day_report;

use crate::desk::Desk;
use crate::views::{BusinessSummary, CommandError};

/// Where a business of the queue stands.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Expected, not yet served today.
    Waiting,
    /// Being served now (its turn has not ended).
    Serving,
    /// Served earlier today.
    Served,
}

/// One business of the queue.
#[derive(Serialize, Clone, Debug, TS)]
pub struct QueueEntry {
    /// The business as the home list shows it.
    pub business: BusinessSummary,
    /// The appointment's time, `HH:MM`, when the chamber's list gave one.
    pub time: Option<String>,
    /// Booked for today; `false` for one served today without an appointment.
    pub booked: bool,
    /// Where it stands.
    pub state: QueueState,
    /// Minutes spent on it today.
    #[ts(type = "number")]
    pub minutes: i64,
}

/// The queue of one day.
#[derive(Serialize, Clone, Debug, TS)]
pub struct Queue {
    /// The day, `YYYY-MM-DD` (Mexico City).
    pub date: String,
    /// Booked first, by time; then the rest served that day, by first action.
    pub entries: Vec<QueueEntry>,
}

impl Desk {
    /// Today's queue.
    pub fn queue(&self) -> Result<Queue, CommandError> {
        let today = crate::documents::today();
        let businesses = self.list("")?;
        let library = self.library()?;
        let booked = library.appointments_on(today).map_err(|e| self.fail(e))?;
        let serving = self.serving();
        let mut spans = HashMap::new();
        for business in businesses
            .iter()
            .filter(|b| b.health == crate::views::BusinessHealth::Ok)
        {
            let today_spans = crate::report::spans_on(library, &business.id.0, today)
                .map_err(|e| self.fail(e))?;
            if !today_spans.is_empty() {
                spans.insert(business.id.0.clone(), today_spans);
            }
        }
        let entry = |business: &BusinessSummary, time: Option<String>, booked: bool| {
            let worked = spans.get(&business.id.0);
            QueueEntry {
                state: match (serving == Some(business.id.0.as_str()), worked) {
                    (true, _) => QueueState::Serving,
                    (false, Some(_)) => QueueState::Served,
                    (false, None) => QueueState::Waiting,
                },
                minutes: worked.map_or(0, |s| day_report::minutes_on(today, s)),
                business: business.clone(),
                time,
                booked,
            }
        };
        let by_id: HashMap<&str, &BusinessSummary> =
            businesses.iter().map(|b| (b.id.0.as_str(), b)).collect();
        let mut entries: Vec<QueueEntry> = booked
            .iter()
            .filter_map(|a| {
                let time = a.time.map(|t| t.format("%H:%M").to_string());
                by_id.get(a.business.as_str()).map(|b| entry(b, time, true))
            })
            .collect();
        let booked_ids: HashSet<&str> = booked.iter().map(|a| a.business.as_str()).collect();
        let mut walk_ins: Vec<&BusinessSummary> = businesses
            .iter()
            .filter(|b| spans.contains_key(&b.id.0) || serving == Some(b.id.0.as_str()))
            .filter(|b| !booked_ids.contains(b.id.0.as_str()))
            .collect();
        let first_action = |b: &BusinessSummary| {
            spans
                .get(&b.id.0)
                .and_then(|s| s.iter().map(|s| s.started_at).min())
        };
        walk_ins.sort_by_key(|b| first_action(b));
        entries.extend(walk_ins.into_iter().map(|b| entry(b, None, false)));
        Ok(Queue {
            date: today.format("%Y-%m-%d").to_string(),
            entries,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::views::{ChamberMode, NewBusiness};
    use ventanilla_core::Field;

    fn states(queue: &Queue) -> Vec<(String, Option<String>, QueueState)> {
        queue
            .entries
            .iter()
            .map(|e| (e.business.name.clone(), e.time.clone(), e.state))
            .collect()
    }

    #[test]
    fn the_days_queue_follows_each_owner_from_waiting_to_served_with_consent_first() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(data.path().to_path_buf());
        desk.set_chamber_mode(&ChamberMode {
            enabled: true,
            operator: "Ana Ruiz".into(),
        })
        .unwrap();
        let csv = files.path().join("citas.csv");
        std::fs::write(
            &csv,
            "rfc,nombre,cita\nEKU9003173C9,Escuela Kemper,10:30\nGODE561231GR8,Eréndira Gómez,9:00\n",
        )
        .unwrap();
        let imported = desk.import_appointments(&csv).unwrap();
        assert_eq!(imported.created.len(), 2);
        let waiting =
            |name: &str, time: &str| (name.to_owned(), Some(time.to_owned()), QueueState::Waiting);
        assert_eq!(
            states(&desk.queue().unwrap()),
            [
                waiting("Eréndira Gómez", "09:00"),
                waiting("Escuela Kemper", "10:30")
            ]
        );

        let erendira = desk.queue().unwrap().entries[0].business.id.0.clone();
        let refused = desk
            .set_field(&erendira, Field::Email, "ere@example.mx")
            .unwrap_err();
        assert_eq!(refused.code, "consent_missing");
        assert_eq!(
            desk.open_business(&erendira).unwrap_err().code,
            "consent_missing"
        );
        let consented = desk.give_consent(&erendira).unwrap();
        assert_eq!(
            desk.give_consent(&erendira),
            Some(consented),
            "recorded once a turn"
        );
        desk.set_field(&erendira, Field::Email, "ere@example.mx")
            .unwrap();
        let queue = desk.queue().unwrap();
        assert_eq!(queue.entries[0].state, QueueState::Serving);
        assert_eq!(queue.entries[0].business.consent_at, Some(consented));
        assert_eq!(queue.entries[1].business.consent_at, None);

        // "Siguiente persona": served, and the next turn asks again.
        desk.next_person().unwrap();
        let queue = desk.queue().unwrap();
        assert_eq!(queue.entries[0].state, QueueState::Served);
        assert_eq!(queue.entries[0].business.consent_at, None);
        let refused = desk
            .set_field(&erendira, Field::Phone, "55 1234 5678")
            .unwrap_err();
        assert_eq!(refused.code, "consent_missing");
        let spans = crate::report::spans_on(
            desk.library().unwrap(),
            &erendira,
            crate::documents::today(),
        )
        .unwrap();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].consent_at, Some(consented));
        assert_eq!(spans[0].operator, "Ana Ruiz");

        // Someone without an appointment: created only with consent, listed after.
        let walk_in = NewBusiness {
            persona: "moral".into(),
            name: "Tlapalería La Esperanza".into(),
            ..NewBusiness::default()
        };
        assert_eq!(
            desk.create(walk_in.clone()).unwrap_err().code,
            "consent_missing"
        );
        assert_eq!(desk.list("").unwrap().len(), 2, "nothing created");
        desk.create(NewBusiness {
            consent: true,
            ..walk_in
        })
        .unwrap();
        let queue = desk.queue().unwrap();
        assert_eq!(
            states(&queue),
            [
                (
                    "Eréndira Gómez".into(),
                    Some("09:00".into()),
                    QueueState::Served
                ),
                waiting("Escuela Kemper", "10:30"),
                ("Tlapalería La Esperanza".into(), None, QueueState::Serving),
            ]
        );
        assert!(!queue.entries[2].booked);

        // Outside chamber mode nobody is asked.
        desk.set_chamber_mode(&ChamberMode {
            enabled: false,
            operator: "Ana Ruiz".into(),
        })
        .unwrap();
        desk.set_field(&erendira, Field::Phone, "55 1234 5678")
            .unwrap();
    }
}
