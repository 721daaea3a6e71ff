//! The server's clock, which alone decides whether a bid was on time: the machine's for
//! a server on SQLite, the database's for instances sharing PostgreSQL
//! ([`DatabaseClock`]). Injected so that tests can stand one second before or after a
//! deadline.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use chrono::{DateTime, Duration, Utc};

use crate::storage::{self, Coordination};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock, in milliseconds: receipts show what they sign, and a signed
/// time with more digits than any client keeps would only invite mismatches.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_millis(Utc::now())
    }
}

fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

/// How often [`DatabaseClock`] measures its offset again: machines' clocks drift by
/// milliseconds a day, and NTP may step one.
const REMEASURE: std::time::Duration = std::time::Duration::from_secs(10);

/// The database's clock, read through the machine's: their offset is measured at start
/// and every [`REMEASURE`] (half a round trip of error, well under a millisecond on a
/// data centre's network) and added to the machine's time, so that instances whose
/// clocks disagree by minutes agree on a deadline, without a round trip per request.
pub struct DatabaseClock {
    machine: Arc<dyn Clock>,
    offset_ms: Arc<AtomicI64>,
}

impl DatabaseClock {
    /// Measures the offset, then keeps measuring it on a thread of its own, which ends
    /// once the clock or the database is dropped.
    pub fn start(
        database: &Arc<dyn Coordination>,
        machine: Arc<dyn Clock>,
    ) -> storage::Result<DatabaseClock> {
        let offset_ms = Arc::new(AtomicI64::new(offset_ms(
            database.as_ref(),
            machine.as_ref(),
        )?));
        let (database, offset, clock) = (
            Arc::downgrade(database),
            Arc::downgrade(&offset_ms),
            Arc::clone(&machine),
        );
        std::thread::Builder::new()
            .name("database-clock".to_owned())
            .spawn(move || remeasure(&database, &offset, clock.as_ref()))
            .map_err(|e| storage::StorageError::Unreachable(format!("no clock thread: {e}")))?;
        Ok(DatabaseClock { machine, offset_ms })
    }
}

fn remeasure(database: &Weak<dyn Coordination>, offset: &Weak<AtomicI64>, machine: &dyn Clock) {
    loop {
        std::thread::sleep(REMEASURE);
        let (Some(database), Some(offset)) = (database.upgrade(), offset.upgrade()) else {
            return;
        };
        // A database that does not answer fails the requests themselves; the last
        // offset serves until it answers again.
        if let Ok(measured) = offset_ms(database.as_ref(), machine) {
            offset.store(measured, Ordering::Relaxed);
        }
    }
}

/// The database's time minus the machine's, in milliseconds, taken at the middle of
/// the round trip.
fn offset_ms(database: &dyn Coordination, machine: &dyn Clock) -> storage::Result<i64> {
    let asked = machine.now();
    let answered = database.database_time()?;
    let back = machine.now();
    let middle = asked + (back - asked) / 2;
    Ok((answered - middle).num_milliseconds())
}

impl Clock for DatabaseClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        to_millis(self.machine.now() + offset)
    }
}

/// A clock that stands still until moved, for tests.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
