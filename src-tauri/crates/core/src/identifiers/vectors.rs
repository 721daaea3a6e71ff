//! Public test vectors (python-stdnum's RFCs and CURPs, `vectors/*.txt`) checked
//! against Ventanilla's own rules: every vector gets the verdict its group says.

use super::{curp, rfc};
use crate::message::Code;

/// The vectors of `text` as (group, vector, codes after `|`), skipping comments.
fn vectors(text: &str) -> Vec<(&str, &str, Vec<Code>)> {
    let mut group = "";
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            group = name;
            continue;
        }
        let (vector, codes) = line.split_once('|').unwrap_or((line, ""));
        let codes = codes
            .split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(|code| {
                serde_json::from_value(serde_json::Value::from(code))
                    .unwrap_or_else(|_| panic!("unknown code {code:?} in {line:?}"))
            })
            .collect();
        out.push((group, vector.trim(), codes));
    }
    out
}

/// How many vectors each group holds, so a file cut short cannot pass unnoticed.
fn counts<'a>(vectors: &[(&'a str, &str, Vec<Code>)]) -> Vec<(&'a str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (group, _, _) in vectors {
        match counts.iter_mut().find(|(g, _)| g == group) {
            Some((_, n)) => *n += 1,
            None => counts.push((group, 1)),
        }
    }
    counts
}

#[test]
fn rfc_agrees_with_every_python_stdnum_vector() {
    let vectors = vectors(include_str!("vectors/rfc.txt"));
    assert_eq!(
        counts(&vectors),
        [
            ("valid", 321),
            ("valid_unchecked", 103),
            ("invalid", 5),
            ("no_homoclave", 1)
        ]
    );
    for (group, vector, codes) in &vectors {
        let verdict = rfc::check(vector);
        match *group {
            // Issued and with a right check digit: nothing to say.
            "valid" => assert_eq!(verdict.issues, [], "{vector}"),
            // In use: at most the check-digit warning, which lets the person continue.
            "valid_unchecked" => assert!(
                verdict.is_valid() && verdict.issues.iter().all(|c| *c == Code::RfcCheckDigit),
                "{vector}: {:?}",
                verdict.issues
            ),
            "invalid" => assert_eq!(&verdict.issues, codes, "{vector}"),
            // Without its homoclave an RFC cannot be registered: it is incomplete.
            "no_homoclave" => assert_eq!(verdict.issues, [Code::RfcLength], "{vector}"),
            other => panic!("unknown group {other}"),
        }
    }
}

#[test]
fn curp_agrees_with_every_python_stdnum_vector() {
    let vectors = vectors(include_str!("vectors/curp.txt"));
    assert_eq!(counts(&vectors), [("valid", 15), ("invalid", 8)]);
    for (group, vector, codes) in &vectors {
        let verdict = curp::check(vector);
        match *group {
            "valid" => assert_eq!(verdict.issues, [], "{vector}"),
            "invalid" => assert_eq!(&verdict.issues, codes, "{vector}"),
            other => panic!("unknown group {other}"),
        }
    }
}
