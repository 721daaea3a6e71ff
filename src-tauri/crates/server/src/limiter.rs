//! Per-account limit on failed sign-ins, so that a password cannot be guessed at
//! speed. Kept in memory: a restart forgives, which only costs an attacker's time
//! another restart would not give back. Counted by email, whether or not an account
//! has it, so the limit does not tell which emails exist.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failed attempts allowed within [`WINDOW_MINUTES`].
const MAX_FAILURES: usize = 5;
const WINDOW_MINUTES: i64 = 15;

#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl SignInLimiter {
    /// `Err(seconds to wait)` when `email` used up its attempts.
    pub fn check(&self, email: &str, now: DateTime<Utc>) -> Result<(), i64> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let window = Duration::minutes(WINDOW_MINUTES);
        // Forget old failures everywhere, so the map stays as small as recent traffic.
        failures.retain(|_, times| {
            times.retain(|t| now - *t < window);
            !times.is_empty()
        });
        match failures.get(email) {
            Some(times) if times.len() >= MAX_FAILURES => {
                let oldest = times.iter().min().copied().unwrap_or(now);
                Err((oldest + window - now).num_seconds().max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, email: &str, now: DateTime<Utc>) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.entry(email.to_owned()).or_default().push(now);
    }

    pub fn succeeded(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(email);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_until_the_first_leaves_the_window() {
        let limiter = SignInLimiter::default();
        let start = DateTime::UNIX_EPOCH;
        for i in 0..5 {
            assert_eq!(
                limiter.check("a@x.mx", start + Duration::minutes(i)),
                Ok(())
            );
            limiter.failed("a@x.mx", start + Duration::minutes(i));
        }
        let now = start + Duration::minutes(5);
        assert_eq!(limiter.check("a@x.mx", now), Err(600));
        assert_eq!(limiter.check("b@x.mx", now), Ok(()));
        assert_eq!(
            limiter.check("a@x.mx", start + Duration::minutes(15)),
            Ok(())
        );
        limiter.failed("a@x.mx", now);
        limiter.succeeded("a@x.mx");
        assert_eq!(limiter.check("a@x.mx", now), Ok(()));
    }
}
