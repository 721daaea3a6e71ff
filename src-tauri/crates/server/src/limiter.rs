//! Limits on failed sign-ins, so that a password cannot be guessed at speed, without
//! handing a guesser the power to lock the owner out. One process keeps them in memory
//! (a restart forgives, which only costs an attacker's time another restart would not
//! give back); instances sharing a database keep them there
//! ([`Coordination::reserve_sign_in`]), so that guesses spread over instances add up.
//! Both judge by the same rules ([`judge`]).
//!
//! Failures are counted twice within a window of [`WINDOW_MINUTES`]: by client address
//! (whatever emails it tried) and by email (whether or not an account has it, so the
//! limit does not tell which emails exist). An address that failed
//! [`MAX_ADDRESS_FAILURES`] times is refused; an email that failed
//! [`MAX_EMAIL_FAILURES`] times is refused to the addresses among its failures, not to
//! others (the owner, signing in from elsewhere, still gets in).
//!
//! On its email an attempt counts as a failure the moment it is let through, before
//! its password is hashed, and is forgiven if it succeeds: a burst of guesses sent at
//! once cannot all pass the check before the first is counted. On its address only
//! failures count, so that many people signing in at once from one office are not
//! refused for attempts still under way.
//!
//! In memory, both counts hold at most [`DEFAULT_CAPACITY`] keys, each with a bounded number of
//! failures, and emails are at most 254 characters (longer ones are refused before
//! reaching here): about 15 MB at worst, whatever is sent. When full, the key whose
//! last failure is oldest makes room.
//!
//! The address is the TCP peer's. Behind a reverse proxy every client has the proxy's
//! address, so the per-address count would be shared by all: serve clients directly,
//! or have the proxy limit sign-ins itself.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::storage::{self, Coordination, SignInAttempt, SignInFailures};

const WINDOW_MINUTES: i64 = 15;
/// Failures of one email, from addresses that keep failing, within the window.
const MAX_EMAIL_FAILURES: usize = 5;
/// Failures from one address, on any emails, within the window.
const MAX_ADDRESS_FAILURES: usize = 20;
/// Keys each count remembers at most.
pub const DEFAULT_CAPACITY: usize = 10_000;

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    at: DateTime<Utc>,
    from: IpAddr,
}

/// Recent failures by key, at most `per_key` each and `capacity` keys.
pub struct Counts<K> {
    keys: HashMap<K, VecDeque<Failure>>,
    per_key: usize,
    capacity: usize,
}

impl<K: Hash + Eq + Clone> Counts<K> {
    fn new(per_key: usize, capacity: usize) -> Counts<K> {
        Counts {
            keys: HashMap::new(),
            per_key,
            capacity,
        }
    }

    /// The failures of `key` still within the window, oldest first.
    fn recent(&mut self, key: &K, now: DateTime<Utc>) -> Option<&VecDeque<Failure>> {
        let failures = self.keys.get_mut(key)?;
        failures.retain(|f| now - f.at < window());
        if failures.is_empty() {
            self.keys.remove(key);
            return None;
        }
        self.keys.get(key)
    }

    fn add(&mut self, key: &K, failure: Failure) {
        if !self.keys.contains_key(key) && self.keys.len() >= self.capacity {
            self.make_room(failure.at);
        }
        let failures = self.keys.entry(key.clone()).or_default();
        if failures.len() >= self.per_key {
            failures.pop_front();
        }
        failures.push_back(failure);
    }

    /// Forgets the keys whose failures all left the window, and if none did, the one
    /// whose last failure is oldest.
    fn make_room(&mut self, now: DateTime<Utc>) {
        self.keys
            .retain(|_, failures| failures.back().is_some_and(|f| now - f.at < window()));
        if self.keys.len() < self.capacity {
            return;
        }
        let stalest = self
            .keys
            .iter()
            .min_by_key(|(_, failures)| failures.back().map(|f| f.at))
            .map(|(key, _)| key.clone());
        if let Some(key) = stalest {
            self.keys.remove(&key);
        }
    }

    /// Drops the failures of `key` that `forgive` picks.
    fn forgive(&mut self, key: &K, forgive: impl Fn(&Failure) -> bool) {
        if let Some(failures) = self.keys.get_mut(key) {
            failures.retain(|f| !forgive(f));
            if failures.is_empty() {
                self.keys.remove(key);
            }
        }
    }
}

/// When a refused attempt may be made again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    pub retry_at: DateTime<Utc>,
}

impl Refused {
    /// Whole seconds from `now`, at least one: the `Retry-After` value.
    pub fn seconds_after(&self, now: DateTime<Utc>) -> i64 {
        (self.retry_at - now).num_seconds().max(1)
    }
}

/// Whether an attempt on an email from `from` may go through now, given the recent
/// failures (see [`SignInFailures`]); `Some(instant)` refuses it until then.
pub fn judge(failures: &SignInFailures, from: IpAddr, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if failures.from_address.len() >= MAX_ADDRESS_FAILURES {
        let oldest = failures.from_address.first().copied().unwrap_or(now);
        return Some(oldest + window());
    }
    let on_email = &failures.on_email;
    let last_own = on_email.iter().rev().find(|(_, address)| *address == from);
    if let (true, Some((last_own, _))) = (on_email.len() >= MAX_EMAIL_FAILURES, last_own) {
        // Free again once the email falls below its limit or this address's last
        // failure on it leaves the window, whichever comes first.
        let oldest = on_email.first().map_or(now, |(at, _)| *at);
        return Some((oldest + window()).min(*last_own + window()));
    }
    None
}

/// An attempt let through, already counted as failed on its email until it succeeds.
#[derive(Clone, Copy, Debug)]
pub enum Reserved {
    InProcess(Failure),
    /// Its row in the shared database.
    Shared {
        id: i64,
        from: IpAddr,
    },
}

pub enum SignInLimiter {
    InProcess(Mutex<(Counts<String>, Counts<IpAddr>)>),
    Shared(Arc<dyn Coordination>),
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter::with_capacity(DEFAULT_CAPACITY)
    }
}

/// Failures each email keeps: room beyond the limit, so that the attempts of addresses
/// let through to a locked email (the owner's) do not push out the guesser's.
const EMAIL_KEEP: usize = 2 * MAX_EMAIL_FAILURES;

impl SignInLimiter {
    pub fn with_capacity(capacity: usize) -> SignInLimiter {
        SignInLimiter::InProcess(Mutex::new((
            Counts::new(EMAIL_KEEP, capacity),
            Counts::new(MAX_ADDRESS_FAILURES, capacity),
        )))
    }

    /// Lets an attempt on `email` from `from` through, counting it as failed on the
    /// email until [`SignInLimiter::succeeded`], or says when to try again.
    pub fn reserve(
        &self,
        email: &str,
        from: IpAddr,
        now: DateTime<Utc>,
    ) -> storage::Result<Result<Reserved, Refused>> {
        let counts = match self {
            SignInLimiter::Shared(database) => {
                let attempt = SignInAttempt {
                    email,
                    from,
                    now,
                    since: now - window(),
                    address_keep: MAX_ADDRESS_FAILURES,
                    email_keep: EMAIL_KEEP,
                };
                let judged = database.reserve_sign_in(&attempt, &|f| judge(f, from, now))?;
                return Ok(judged
                    .map(|id| Reserved::Shared { id, from })
                    .map_err(|retry_at| Refused { retry_at }));
            }
            SignInLimiter::InProcess(counts) => counts,
        };
        let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
        let (by_email, by_address) = &mut *counts;
        let email_key = email.to_owned();
        let failures = SignInFailures {
            from_address: by_address
                .recent(&from, now)
                .map(|f| f.iter().map(|f| f.at).collect())
                .unwrap_or_default(),
            on_email: by_email
                .recent(&email_key, now)
                .map(|f| f.iter().map(|f| (f.at, f.from)).collect())
                .unwrap_or_default(),
        };
        if let Some(retry_at) = judge(&failures, from, now) {
            return Ok(Err(Refused { retry_at }));
        }
        let attempt = Failure { at: now, from };
        by_email.add(&email_key, attempt);
        Ok(Ok(Reserved::InProcess(attempt)))
    }

    /// The wrong password (or no account): the attempt now counts on its address too.
    pub fn failed(&self, reserved: Reserved) -> storage::Result<()> {
        match (self, reserved) {
            (SignInLimiter::Shared(database), Reserved::Shared { id, .. }) => {
                database.sign_in_failed(id)
            }
            (SignInLimiter::InProcess(counts), Reserved::InProcess(attempt)) => {
                let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
                counts.1.add(&attempt.from, attempt);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The right password: the attempt is not a failure, nor are this address's earlier
    /// failures on this email (the owner's typos). Other addresses' failures stay.
    pub fn succeeded(&self, email: &str, reserved: Reserved) -> storage::Result<()> {
        match (self, reserved) {
            (SignInLimiter::Shared(database), Reserved::Shared { from, .. }) => {
                database.sign_in_succeeded(email, from)
            }
            (SignInLimiter::InProcess(counts), Reserved::InProcess(attempt)) => {
                let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
                counts
                    .0
                    .forgive(&email.to_owned(), |f| f.from == attempt.from);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// How many emails and addresses are remembered in memory.
    #[cfg(test)]
    fn remembered(&self) -> (usize, usize) {
        match self {
            SignInLimiter::InProcess(counts) => {
                let counts = counts.lock().unwrap_or_else(|p| p.into_inner());
                (counts.0.keys.len(), counts.1.keys.len())
            }
            SignInLimiter::Shared(_) => (0, 0),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn address(n: u32) -> IpAddr {
        IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + n))
    }

    #[test]
    fn five_failures_lock_the_failing_address_until_the_first_leaves_the_window() {
        let limiter = SignInLimiter::default();
        let start = DateTime::UNIX_EPOCH;
        let guesser = address(1);
        for i in 0..5 {
            let attempt = limiter
                .reserve("a@x.mx", guesser, start + Duration::minutes(i))
                .unwrap();
            attempt.into_iter().for_each(|a| limiter.failed(a).unwrap());
        }
        let now = start + Duration::minutes(5);
        let refused = limiter.reserve("a@x.mx", guesser, now).unwrap().err();
        assert_eq!(refused.map(|r| r.seconds_after(now)), Some(600));
        assert!(limiter.reserve("b@x.mx", guesser, now).unwrap().is_ok());
        assert!(limiter
            .reserve("a@x.mx", guesser, start + Duration::minutes(15))
            .unwrap()
            .is_ok());
    }

    #[test]
    fn an_address_that_has_not_failed_still_gets_through_and_its_success_forgives_only_itself() {
        let limiter = SignInLimiter::default();
        let now = DateTime::UNIX_EPOCH;
        let (guesser, owner) = (address(1), address(2));
        // Five at once, none answered yet: the sixth is refused all the same.
        for _ in 0..5 {
            assert!(limiter.reserve("a@x.mx", guesser, now).unwrap().is_ok());
        }
        assert!(limiter.reserve("a@x.mx", guesser, now).unwrap().is_err());
        let attempt = limiter.reserve("a@x.mx", owner, now).unwrap();
        assert!(attempt.is_ok());
        if let Ok(attempt) = attempt {
            limiter.succeeded("a@x.mx", attempt).unwrap();
        }
        // The owner's sign-in does not give the guesser more tries.
        assert!(limiter.reserve("a@x.mx", guesser, now).unwrap().is_err());
        assert!(limiter.reserve("a@x.mx", owner, now).unwrap().is_ok());
    }

    #[test]
    fn an_address_failing_on_many_emails_is_refused_on_all() {
        let limiter = SignInLimiter::default();
        let now = DateTime::UNIX_EPOCH;
        for i in 0..MAX_ADDRESS_FAILURES {
            let attempt = limiter
                .reserve(&format!("{i}@x.mx"), address(1), now)
                .unwrap();
            assert!(attempt.is_ok());
            attempt.into_iter().for_each(|a| limiter.failed(a).unwrap());
        }
        assert!(limiter
            .reserve("nueva@x.mx", address(1), now)
            .unwrap()
            .is_err());
        assert!(limiter
            .reserve("nueva@x.mx", address(2), now)
            .unwrap()
            .is_ok());
    }

    #[test]
    fn the_counts_never_hold_more_keys_than_their_capacity() {
        let capacity = 100;
        let limiter = SignInLimiter::with_capacity(capacity);
        let now = DateTime::UNIX_EPOCH;
        for i in 0..(20 * capacity as u32) {
            let email = format!("{i}-{}@x.mx", "a".repeat(200));
            let attempt = limiter
                .reserve(&email, address(i), now + Duration::seconds(i.into()))
                .unwrap();
            attempt.into_iter().for_each(|a| limiter.failed(a).unwrap());
            let (emails, addresses) = limiter.remembered();
            assert!(
                emails <= capacity && addresses <= capacity,
                "{emails} {addresses}"
            );
        }
        assert_eq!(limiter.remembered(), (capacity, capacity));
    }
}
