//! Idempotency keys whose first request is still being processed. A server on SQLite
//! keeps them in memory: a key is claimed and freed without touching the disk, and a
//! crash cannot leave one stuck "in progress" (one process owns its data folder).
//! Instances sharing a database claim them there instead, as leases: the same key sent
//! to two instances at once is processed by one, and a lease its instance could not
//! give back (it stopped) expires.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::storage::{self, Coordination, LeasedKey};

type Keys = Arc<Mutex<HashSet<(Uuid, String)>>>;

pub enum InFlight {
    InProcess(Keys),
    /// Claims last `lease`: longer than any request may take.
    Leased {
        database: Arc<dyn Coordination>,
        lease: chrono::Duration,
    },
}

/// A claimed key, freed when dropped, however the request ends (even cancelled).
pub struct Claim {
    account: Uuid,
    key: String,
    /// `None` once given back.
    held: Option<Held>,
}

enum Held {
    InProcess(Keys),
    Leased {
        database: Arc<dyn Coordination>,
        holder: Uuid,
    },
}

impl InFlight {
    pub fn in_process() -> InFlight {
        InFlight::InProcess(Keys::default())
    }

    /// Claims `account`'s `key`, or `None` while another request holds it.
    pub async fn claim(
        &self,
        account: Uuid,
        key: &str,
        now: DateTime<Utc>,
    ) -> storage::Result<Option<Claim>> {
        let held = match self {
            InFlight::InProcess(keys) => {
                let mut held = keys.lock().unwrap_or_else(|p| p.into_inner());
                if !held.insert((account, key.to_owned())) {
                    return Ok(None);
                }
                Held::InProcess(Arc::clone(keys))
            }
            InFlight::Leased { database, lease } => {
                let holder = Uuid::now_v7();
                if !database
                    .claim_key(account, key, holder, now, now + *lease)
                    .await?
                {
                    return Ok(None);
                }
                Held::Leased {
                    database: Arc::clone(database),
                    holder,
                }
            }
        };
        Ok(Some(Claim {
            account,
            key: key.to_owned(),
            held: Some(held),
        }))
    }
}

impl Claim {
    /// Gives back every claim in `claims`, the leased ones in one round trip to the
    /// database: a batch of submissions frees its keys together.
    pub fn release_all(claims: impl IntoIterator<Item = Claim>) {
        let mut leased = Vec::new();
        let mut database = None;
        for mut claim in claims {
            let key = std::mem::take(&mut claim.key);
            match claim.held.take() {
                Some(Held::InProcess(keys)) => {
                    let mut keys = keys.lock().unwrap_or_else(|p| p.into_inner());
                    keys.remove(&(claim.account, key));
                }
                Some(Held::Leased {
                    database: theirs,
                    holder,
                }) => {
                    leased.push(LeasedKey {
                        account: claim.account,
                        key,
                        holder,
                    });
                    database = Some(theirs);
                }
                None => {}
            }
        }
        // Not given back (the database is down): the leases expire instead.
        if let Some(database) = database {
            let _ = database.release_keys(&leased);
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.held.is_some() {
            let claim = Claim {
                account: self.account,
                key: std::mem::take(&mut self.key),
                held: self.held.take(),
            };
            Claim::release_all([claim]);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_held_once_per_account_until_its_claim_is_dropped() {
        let in_flight = InFlight::in_process();
        let now = Utc::now();
        let claim =
            |account, key| futures_executor::block_on(in_flight.claim(account, key, now)).unwrap();
        let (ana, beto) = (Uuid::now_v7(), Uuid::now_v7());
        let held = claim(ana, "k");
        assert!(held.is_some());
        assert!(claim(ana, "k").is_none());
        assert!(claim(beto, "k").is_some());
        drop(held);
        assert!(claim(ana, "k").is_some());
    }
}
