//! Current sessions kept in memory, so that a request's bearer token is checked without
//! the database. Sound when one process owns its data (SQLite): sessions are created
//! and revoked only through it, accounts never change, and each entry carries its
//! expiry, checked on every use. A revocation forgets the entry and moves an epoch on,
//! so that a lookup which read the database before the revocation cannot put its stale
//! answer back. On a database other instances share (PostgreSQL) a sign-out on another
//! instance does not reach this memory, so an entry serves only for [`SHARED_FRESHNESS`]
//! after it was read: a sign-out anywhere holds everywhere within a second, and a
//! client sending many requests reads its session once a second, not once a request.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ventanilla_api::auth::Account;

use crate::storage::SessionRecord;

/// Enough for every session of a busy day; past it, expired entries are dropped, and
/// if that is not enough, all (they are read again from the database on next use).
const MAX_ENTRIES: usize = 100_000;

/// How long a session read from a shared database serves before it is read again.
pub const SHARED_FRESHNESS: Duration = Duration::from_secs(1);

pub struct Sessions {
    cache: Mutex<Cache>,
    /// How long an entry serves after it was read: `None`, until the session expires
    /// (see the module's comment).
    freshness: Option<Duration>,
}

#[derive(Default)]
struct Cache {
    /// How many revocations there have been.
    epoch: u64,
    /// By SHA-256 of the token, with when it was read (the machine's monotonic clock,
    /// which no test clock moves).
    entries: HashMap<String, (SessionRecord, Instant)>,
}

impl Sessions {
    /// Kept in memory: for a database only this process writes.
    pub fn for_one_process() -> Sessions {
        Sessions {
            cache: Mutex::default(),
            freshness: None,
        }
    }

    /// Kept for [`SHARED_FRESHNESS`]: for a database other instances share.
    pub fn for_shared_database() -> Sessions {
        Sessions {
            cache: Mutex::default(),
            freshness: Some(SHARED_FRESHNESS),
        }
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account of a remembered session still current at `now`.
    pub fn current(&self, token_sha256: &str, now: DateTime<Utc>) -> Option<Account> {
        let cache = self.cache();
        let (session, read_at) = cache.entries.get(token_sha256)?;
        let fresh = self.freshness.is_none_or(|f| read_at.elapsed() < f);
        (fresh && session.expires_at > now).then(|| session.account.clone())
    }

    /// The revocations so far: read before looking a session up in the database, and
    /// handed to [`Sessions::remember`].
    pub fn epoch(&self) -> u64 {
        self.cache().epoch
    }

    /// Keeps a session read from the database, unless a revocation happened since
    /// `epoch` (the session read may be the one revoked).
    pub fn remember(
        &self,
        token_sha256: String,
        session: SessionRecord,
        epoch: u64,
        now: DateTime<Utc>,
    ) {
        let mut cache = self.cache();
        if cache.epoch != epoch {
            return;
        }
        if cache.entries.len() >= MAX_ENTRIES {
            let freshness = self.freshness;
            cache.entries.retain(|_, (s, read_at)| {
                s.expires_at > now && freshness.is_none_or(|f| read_at.elapsed() < f)
            });
            if cache.entries.len() >= MAX_ENTRIES {
                cache.entries.clear();
            }
        }
        cache
            .entries
            .insert(token_sha256, (session, Instant::now()));
    }

    /// Forgets a session that was revoked in the database.
    pub fn forget(&self, token_sha256: &str) {
        let mut cache = self.cache();
        cache.epoch += 1;
        cache.entries.remove(token_sha256);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;
    use ventanilla_api::auth::Role;

    fn session(expires_at: DateTime<Utc>) -> SessionRecord {
        SessionRecord {
            account: Account {
                id: Uuid::now_v7(),
                role: Role::Operator,
                email: "op@x.mx".into(),
                rfc: None,
            },
            expires_at,
        }
    }

    #[test]
    fn a_session_is_current_only_until_it_expires() {
        let now = Utc::now();
        let sessions = Sessions::for_one_process();
        let kept = session(now + chrono::Duration::seconds(1));
        sessions.remember("t".into(), kept.clone(), sessions.epoch(), now);
        assert_eq!(sessions.current("t", now), Some(kept.account));
        assert_eq!(
            sessions.current("t", now + chrono::Duration::seconds(1)),
            None
        );
        assert_eq!(sessions.current("other", now), None);
    }

    #[test]
    fn a_lookup_that_straddles_a_revocation_is_not_kept() {
        let now = Utc::now();
        let sessions = Sessions::for_one_process();
        // Read from the database before the sign-out, handed back after it.
        let epoch = sessions.epoch();
        sessions.forget("t");
        sessions.remember(
            "t".into(),
            session(now + chrono::Duration::hours(1)),
            epoch,
            now,
        );
        assert_eq!(sessions.current("t", now), None);
    }

    #[test]
    fn on_a_shared_database_a_session_serves_for_a_second_only() {
        let now = Utc::now();
        let sessions = Sessions::for_shared_database();
        let later = now + chrono::Duration::hours(1);
        sessions.remember("t".into(), session(later), sessions.epoch(), now);
        assert!(sessions.current("t", now).is_some());
        std::thread::sleep(SHARED_FRESHNESS);
        assert_eq!(sessions.current("t", now), None);
    }

    #[test]
    fn a_revoked_session_is_forgotten() {
        let now = Utc::now();
        let sessions = Sessions::for_one_process();
        let later = now + chrono::Duration::hours(1);
        sessions.remember("t".into(), session(later), sessions.epoch(), now);
        sessions.remember("u".into(), session(later), sessions.epoch(), now);
        sessions.forget("t");
        assert_eq!(sessions.current("t", now), None);
        assert!(sessions.current("u", now).is_some());
    }
}
