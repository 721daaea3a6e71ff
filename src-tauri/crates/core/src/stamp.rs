//! Instants as Ventanilla writes them: UTC, RFC 3339, to the millisecond, with a `Z`
//! (`2026-11-24T17:01:00.000Z`). One fixed width on disk, so that the databases can
//! order and compare them as text, and the same text on the wire and to the window.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::Serializer;

/// The current instant, to the millisecond it is written to: what a write answers is
/// then equal to what reading it back gives.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// `at` as written: `2026-11-24T17:01:00.000Z`.
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Serializes an instant as [`format`] writes it (`#[serde(serialize_with = …)]`).
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*at))
}

/// Serializes an instant that may be missing as [`format`] writes it, or `null`.
pub fn serialize_optional<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serialize(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_instant_is_written_to_the_millisecond_in_utc() {
        let whole = Utc.with_ymd_and_hms(2026, 11, 24, 17, 1, 0).unwrap();
        assert_eq!(format(whole), "2026-11-24T17:01:00.000Z");
        let fine = whole + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(format(fine), "2026-11-24T17:01:00.123Z");
        #[derive(serde::Serialize)]
        struct Both {
            #[serde(serialize_with = "serialize")]
            at: DateTime<Utc>,
            #[serde(serialize_with = "serialize_optional")]
            maybe: Option<DateTime<Utc>>,
        }
        let json = serde_json::to_string(&Both {
            at: fine,
            maybe: None,
        })
        .unwrap();
        assert_eq!(json, r#"{"at":"2026-11-24T17:01:00.123Z","maybe":null}"#);
    }
}
