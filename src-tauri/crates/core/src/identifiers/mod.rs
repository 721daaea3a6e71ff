//! Mexican identifiers checked locally, before anything is sent: the RFC (tax id), the
//! CURP (personal id) and the CLABE (bank account). Each check returns a [`Verdict`]:
//! the identifier as it will be stored, every problem found, and what could be read
//! from it (persona type, birth date, bank...).

use serde::Serialize;
use ts_rs::TS;

use crate::message::{Code, Severity};

pub mod clabe;
pub mod curp;
mod inconvenient;
pub mod rfc;
#[cfg(test)]
mod vectors;

/// The identifier as the app stores it: trimmed, uppercase (ñ becomes Ñ), without the
/// spaces and dashes people type or paste to group characters.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        // Pasted text often carries typographic dashes and non-breaking spaces.
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The outcome of checking one identifier.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Verdict<D> {
    /// The identifier after [`normalize`], as it should be stored.
    pub normalized: String,
    /// Every problem found, most basic first; empty when all is well.
    pub issues: Vec<Code>,
    /// What could be read from the identifier.
    pub details: D,
}

impl<D> Verdict<D> {
    /// True when nothing blocks using the identifier (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The problems that block: missing or wrong.
    pub fn errors(&self) -> impl Iterator<Item = Code> + '_ {
        self.by_severity(|s| s != Severity::Warning)
    }

    /// The problems that only ask the person to double-check.
    pub fn warnings(&self) -> impl Iterator<Item = Code> + '_ {
        self.by_severity(|s| s == Severity::Warning)
    }

    fn by_severity(&self, keep: fn(Severity) -> bool) -> impl Iterator<Item = Code> + '_ {
        self.issues
            .iter()
            .copied()
            .filter(move |c| keep(c.severity()))
    }
}

/// Reads `YYMMDD` at `digits` as a date in the century starting at `century` (1900 or
/// 2000), rejecting impossible ones such as month 13 or 30 February.
fn parse_yymmdd(digits: &[char], century: i32) -> Option<chrono::NaiveDate> {
    let [y1, y2, m1, m2, d1, d2] = digits else {
        return None;
    };
    let two = |a: &char, b: &char| Some(a.to_digit(10)? * 10 + b.to_digit(10)?);
    let year = century + i32::try_from(two(y1, y2)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, two(m1, m2)?, two(d1, d2)?)
}

/// The value of `c` in `alphabet` (its position), as the check-digit algorithms use it.
fn value_in(alphabet: &str, c: char) -> Option<u32> {
    let index = alphabet.chars().position(|a| a == c)?;
    u32::try_from(index).ok()
}

/// Adds `code` unless it is already there, so one kind of mistake is reported once.
fn push_once(issues: &mut Vec<Code>, code: Code) {
    if !issues.contains(&code) {
        issues.push(code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_cleans_typed_and_pasted_text() {
        let cases = [
            ("  gode561231gr8 ", "GODE561231GR8"),
            ("GODE-561231-GR8", "GODE561231GR8"),
            ("gode 561231 gr8", "GODE561231GR8"),
            ("muño850412h70", "MUÑO850412H70"),
            ("r&s\u{a0}030415\tkl5\n", "R&S030415KL5"),
            ("002 010 07777777777 1", "002010077777777771"),
            ("HEGG–560427—MVZRRL04", "HEGG560427MVZRRL04"),
            ("", ""),
            ("   ", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn yymmdd_dates() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let cases = [
            ("561231", 1900, true),
            ("991332", 1900, false),
            ("990230", 1900, false),
            ("000229", 2000, true),
            ("000229", 1900, false),
            ("010229", 2000, false),
            ("240229", 2000, true),
            ("5612a1", 1900, false),
            ("56123", 1900, false),
        ];
        for (input, century, valid) in cases {
            assert_eq!(
                parse_yymmdd(&chars(input), century).is_some(),
                valid,
                "{input} in {century}"
            );
        }
    }

    #[test]
    fn verdict_splits_errors_from_warnings() {
        let verdict = Verdict {
            normalized: String::new(),
            issues: vec![Code::RfcCheckDigit],
            details: (),
        };
        assert!(verdict.is_valid());
        assert_eq!(
            verdict.warnings().collect::<Vec<_>>(),
            [Code::RfcCheckDigit]
        );
        assert_eq!(verdict.errors().count(), 0);

        let verdict = Verdict {
            issues: vec![Code::Required],
            ..verdict
        };
        assert!(!verdict.is_valid());
        assert_eq!(verdict.errors().collect::<Vec<_>>(), [Code::Required]);
    }
}
