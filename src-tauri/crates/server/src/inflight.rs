//! Idempotency keys whose first request is still being processed. Kept in memory, not
//! in the database: a key is claimed and freed without touching the disk, and a crash
//! cannot leave one stuck "in progress". (One server process owns its data folder.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

type Keys = Arc<Mutex<HashSet<(Uuid, String)>>>;

#[derive(Default)]
pub struct InFlight(Keys);

/// A claimed key, freed when dropped, however the request ends (even cancelled).
pub struct Claim {
    keys: Keys,
    key: (Uuid, String),
}

impl InFlight {
    /// Claims `account`'s `key`, or `None` while another request holds it.
    pub fn claim(&self, account: Uuid, key: &str) -> Option<Claim> {
        let entry = (account, key.to_owned());
        let mut keys = self.0.lock().unwrap_or_else(|p| p.into_inner());
        keys.insert(entry.clone()).then(|| Claim {
            keys: Arc::clone(&self.0),
            key: entry,
        })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_held_once_per_account_until_its_claim_is_dropped() {
        let in_flight = InFlight::default();
        let (ana, beto) = (Uuid::now_v7(), Uuid::now_v7());
        let claim = in_flight.claim(ana, "k");
        assert!(claim.is_some());
        assert!(in_flight.claim(ana, "k").is_none());
        assert!(in_flight.claim(beto, "k").is_some());
        drop(claim);
        assert!(in_flight.claim(ana, "k").is_some());
    }
}
