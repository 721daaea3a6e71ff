//! When to tell the person to renew their e.firma: SAT renews a FIEL only while it is
//! still valid (online, with SAT ID), so the warning must come well before it expires.

use chrono::{DateTime, Utc};
use ventanilla_core::checklist::mexico_city_today;

/// Days before the end of validity from which the app warns.
pub const RENEWAL_NOTICE_DAYS: i64 = 30;

/// Whole Mexico City days from `at` to the certificate's last day of validity: 0 on
/// that day, negative after it.
pub fn days_left(not_after: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    (mexico_city_today(not_after) - mexico_city_today(at)).num_days()
}

/// Whether a certificate valid until `not_after` is due for renewal at `at` (or has
/// expired).
pub fn renewal_due(not_after: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    days_left(not_after, at) <= RENEWAL_NOTICE_DAYS
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn days_are_counted_in_mexico_city_and_the_notice_starts_thirty_days_before() {
        // 23:30 in Mexico City on 1 March is already 2 March in UTC.
        let not_after = instant("2027-03-02T05:30:00Z");
        assert_eq!(days_left(not_after, instant("2027-03-01T12:00:00Z")), 0);
        assert_eq!(days_left(not_after, instant("2027-01-30T12:00:00Z")), 30);
        assert!(renewal_due(not_after, instant("2027-01-30T12:00:00Z")));
        assert!(!renewal_due(not_after, instant("2027-01-29T12:00:00Z")));
        assert_eq!(days_left(not_after, instant("2027-03-03T12:00:00Z")), -2);
        assert!(renewal_due(not_after, instant("2027-03-03T12:00:00Z")));
    }
}
