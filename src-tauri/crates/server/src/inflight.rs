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

use crate::storage::{self, Answered, Coordination, KeyClaim, LeasedKey, PointReads};

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

    /// Claims `account`'s `key`, with the answer it was first given if it was already
    /// answered (read through `reads` here, with the lease in the database); `None`
    /// while another request holds it.
    pub async fn claim(
        &self,
        account: Uuid,
        key: &str,
        now: DateTime<Utc>,
        reads: &dyn PointReads,
    ) -> storage::Result<Option<(Claim, Option<Answered>)>> {
        let claim = |held| Claim {
            account,
            key: key.to_owned(),
            held: Some(held),
        };
        match self {
            InFlight::InProcess(keys) => {
                let newly = (keys.lock().unwrap_or_else(|p| p.into_inner()))
                    .insert((account, key.to_owned()));
                if !newly {
                    return Ok(None);
                }
                // Claimed first, so that a read that fails gives the key back.
                let claim = claim(Held::InProcess(Arc::clone(keys)));
                let answered = reads.answered(account, key).await?;
                Ok(Some((claim, answered)))
            }
            InFlight::Leased { database, lease } => {
                let holder = Uuid::now_v7();
                let until = now + *lease;
                match database.claim_key(account, key, holder, now, until).await? {
                    KeyClaim::Busy => Ok(None),
                    KeyClaim::Taken(answered) => {
                        let database = Arc::clone(database);
                        Ok(Some((claim(Held::Leased { database, holder }), answered)))
                    }
                }
            }
        }
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
        let dir = tempfile::tempdir().unwrap();
        let reads = crate::sqlite::SqliteStorage::open(dir.path()).unwrap();
        let now = Utc::now();
        let claim = |account, key| {
            futures_executor::block_on(in_flight.claim(account, key, now, &reads)).unwrap()
        };
        let (ana, beto) = (Uuid::now_v7(), Uuid::now_v7());
        let held = claim(ana, "k");
        assert!(held.is_some());
        assert!(claim(ana, "k").is_none());
        assert!(claim(beto, "k").is_some());
        drop(held);
        assert!(claim(ana, "k").is_some());
    }
}
