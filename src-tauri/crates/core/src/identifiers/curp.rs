//! The CURP (Clave Única de Registro de Población), the personal id of a persona física
//! and of each legal representative.
//!
//! 18 characters: 4 letters, birth date `YYMMDD`, sex (H, M or X), state of birth (or NE
//! for born abroad), 3 consonants, a character telling the century (digit before 2000,
//! letter from 2000) and a check digit. The four letters never spell one of RENAPO's
//! inconvenient words.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::inconvenient::{starts_with_one, CURP_WORDS};
use super::{normalize, parse_yymmdd, push_once, value_in, Verdict};
use crate::message::Code;

/// Values of the check-digit algorithm, by position.
const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/// RENAPO's state-of-birth codes; NE is "nacido en el extranjero" (born abroad).
const STATES: [&str; 33] = [
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN",
    "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS",
    "NE",
];

/// What a CURP tells about its holder, when it could be read.
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct CurpDetails {
    #[ts(type = "string | null")]
    /// The birth date the CURP encodes, when it is a real day.
    pub birth_date: Option<NaiveDate>,
    /// As written in the CURP: `H` (hombre), `M` (mujer) or `X` (no binaria).
    pub sex: Option<String>,
    /// RENAPO's two-letter code of the state of birth, `NE` for born abroad.
    pub state: Option<String>,
}

/// Checks a CURP as typed or pasted.
pub fn check(input: &str) -> Verdict<CurpDetails> {
    let normalized = normalize(input);
    let chars: Vec<char> = normalized.chars().collect();
    let mut details = CurpDetails::default();
    let issues = match chars.len() {
        0 => vec![Code::Required],
        18 => read(&chars, &mut details),
        _ => vec![Code::CurpLength],
    };
    Verdict {
        normalized,
        issues,
        details,
    }
}

/// The check digit for the first 17 characters of a CURP, or `None` when there are not
/// 17 characters of the CURP alphabet.
pub fn check_digit(first17: &str) -> Option<char> {
    let chars: Vec<char> = normalize(first17).chars().collect();
    digit_for(&chars)
}

/// True when the first 10 characters (name letters and birth date) of a CURP and an RFC
/// agree, as they normally do for a persona física.
pub fn agrees_with_rfc(curp: &str, rfc: &str) -> bool {
    let first10 = |s: &str| {
        let chars: Vec<char> = normalize(s).chars().take(10).collect();
        (chars.len() == 10).then_some(chars)
    };
    matches!((first10(curp), first10(rfc)), (Some(c), Some(r)) if c == r)
}

/// Every part of an 18-character CURP, filling `details` with what reads well.
fn read(chars: &[char], details: &mut CurpDetails) -> Vec<Code> {
    let mut issues = Vec::new();
    let is_letter = |c: &char| c.is_ascii_uppercase();
    let is_consonant = |c: &char| is_letter(c) && !matches!(c, 'A' | 'E' | 'I' | 'O' | 'U');

    if !chars[..4].iter().all(is_letter) {
        push_once(&mut issues, Code::CurpShape);
    }
    if starts_with_one(&CURP_WORDS, chars) {
        push_once(&mut issues, Code::CurpInconvenientWord);
    }
    let century = match chars[16] {
        c if c.is_ascii_digit() => Some(1900),
        c if is_letter(&c) => Some(2000),
        _ => None,
    };
    match century {
        None => push_once(&mut issues, Code::CurpShape),
        Some(century) => match parse_yymmdd(&chars[4..10], century) {
            Some(date) => details.birth_date = Some(date),
            None => push_once(&mut issues, Code::CurpDate),
        },
    }
    if matches!(chars[10], 'H' | 'M' | 'X') {
        details.sex = Some(chars[10].to_string());
    } else {
        push_once(&mut issues, Code::CurpSex);
    }
    let state: String = chars[11..13].iter().collect();
    if STATES.contains(&state.as_str()) {
        details.state = Some(state);
    } else {
        push_once(&mut issues, Code::CurpState);
    }
    if !chars[13..16].iter().all(is_consonant) {
        push_once(&mut issues, Code::CurpShape);
    }
    // A check digit only means something once everything else is well formed.
    if issues.is_empty() && digit_for(&chars[..17]) != Some(chars[17]) {
        issues.push(Code::CurpCheckDigit);
    }
    issues
}

fn digit_for(first17: &[char]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, weight) in first17.iter().zip((2..=18).rev()) {
        sum += value_in(ALPHABET, c)? * weight;
    }
    char::from_digit((10 - sum % 10) % 10, 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiers::inconvenient::CURP_WORDS;

    // Check digits worked by hand (values: 0-9, A-N = 10-23, Ñ = 24, O-Z = 25-36; weights
    // 18 down to 2; digit = (10 - sum mod 10) mod 10):
    //
    // HEGG560427MVZRRL04 (RENAPO's usual example): H17·18=306 E14·17=238 G16·16=256
    //   G16·15=240 5·14=70 6·13=78 0·12=0 4·11=44 2·10=20 7·9=63 M22·8=176 V32·7=224
    //   Z36·6=216 R28·5=140 R28·4=112 L21·3=63 0·2=0; sum 2246, digit 10 - 6 = 4.
    // GOMC050301HDFMRRA5 (made up, born 2005): G16·18=288 O25·17=425 M22·16=352
    //   C12·15=180 0 5·13=65 0 3·11=33 0 1·9=9 H17·8=136 D13·7=91 F15·6=90 M22·5=110
    //   R28·4=112 R28·3=84 A10·2=20; sum 1995, digit 10 - 5 = 5.
    // PEXJ991231XNEXXX04 (made up, born abroad, sex X): P26·18=468 E14·17=238 X34·16=544
    //   J19·15=285 9·14=126 9·13=117 1·12=12 2·11=22 3·10=30 1·9=9 X34·8=272 N23·7=161
    //   E14·6=84 X34·5=170 X34·4=136 X34·3=102 0·2=0; sum 2776, digit 10 - 6 = 4.
    #[test]
    fn check_digits_match_hand_computed_values() {
        let cases = [
            ("HEGG560427MVZRRL0", Some('4')),
            ("GOMC050301HDFMRRA", Some('5')),
            ("PEXJ991231XNEXXX0", Some('4')),
            ("hegg560427mvzrrl0", Some('4')),
            ("HEGG560427MVZRRL", None),
            ("HEGG560427MVZRRL04", None),
            ("HEGG560427MVZRR*0", None),
        ];
        for (first17, expected) in cases {
            assert_eq!(check_digit(first17), expected, "{first17}");
        }
    }

    #[test]
    fn checks() {
        use Code::*;
        let cases: &[(&str, &[Code])] = &[
            ("HEGG560427MVZRRL04", &[]),
            ("hegg560427mvzrrl04", &[]),
            (" HEGG-560427-MVZRRL04 ", &[]),
            ("hegg 560427 mvz rrl 04", &[]),
            ("GOMC050301HDFMRRA5", &[]),
            ("PEXJ991231XNEXXX04", &[]),
            // Wrong check digit: an error for a CURP.
            ("HEGG560427MVZRRL05", &[CurpCheckDigit]),
            ("GOMC050301HDFMRRA0", &[CurpCheckDigit]),
            // Impossible dates.
            ("HEGG991332MVZRRL04", &[CurpDate]),
            ("HEGG990230MVZRRL04", &[CurpDate]),
            ("HEGG000229MVZRRL04", &[CurpDate]),
            ("HEGG5604AAMVZRRL04", &[CurpDate]),
            // Sex, state, shape.
            ("HEGG560427FVZRRL04", &[CurpSex]),
            ("HEGG560427MXXRRL04", &[CurpState]),
            ("HEGG560427MVZARL04", &[CurpShape]),
            ("H3GG560427MVZRRL04", &[CurpShape]),
            ("HEGG560427MVZRRL*4", &[CurpShape]),
            (
                "HEGG561327FXXAEI04",
                &[CurpDate, CurpSex, CurpState, CurpShape],
            ),
            // Length.
            ("", &[Required]),
            ("HEGG560427MVZRRL0", &[CurpLength]),
            ("HEGG560427MVZRRL044", &[CurpLength]),
        ];
        for (input, issues) in cases {
            let verdict = check(input);
            assert_eq!(&verdict.issues, issues, "{input:?}");
            assert_eq!(verdict.is_valid(), issues.is_empty(), "{input:?}");
        }
    }

    /// `letters` with a birth date, sex, state and consonants, and its check digit.
    fn curp(letters: &str) -> String {
        let first17 = format!("{letters}890909MJCRMS0");
        let digit = check_digit(&first17).map(String::from).unwrap_or_default();
        format!("{first17}{digit}")
    }

    #[test]
    fn inconvenient_words_are_refused_and_their_x_forms_pass() {
        for word in CURP_WORDS {
            let curp_of_word = curp(word);
            for typed in [
                curp_of_word.clone(),
                curp_of_word.to_lowercase(),
                format!(" {}-{} ", &curp_of_word[..4], &curp_of_word[4..]),
            ] {
                let verdict = check(&typed);
                assert_eq!(verdict.issues, [Code::CurpInconvenientWord], "{typed:?}");
                assert!(!verdict.is_valid(), "{typed:?}");
            }
            // RENAPO changes the second letter to X.
            let fixed = curp(&format!("{}X{}", &word[..1], &word[2..]));
            assert_eq!(check(&fixed).issues, [], "{fixed}");
        }
        assert_eq!(
            check("BACA891313MJCRMS05").issues,
            [Code::CurpInconvenientWord, Code::CurpDate]
        );
    }

    #[test]
    fn century_follows_the_seventeenth_character() {
        // The same 29 February is real in 2000 (letter) and impossible in 1900 (digit).
        for (first17, ok) in [("GOMC000229HDFMRRA", true), ("GOMC000229HDFMRR0", false)] {
            let digit = check_digit(first17).map(String::from).unwrap_or_default();
            assert_eq!(
                check(&format!("{first17}{digit}")).is_valid(),
                ok,
                "{first17}"
            );
        }
    }

    #[test]
    fn details_are_read() {
        let details = check("HEGG560427MVZRRL04").details;
        assert_eq!(details.birth_date, NaiveDate::from_ymd_opt(1956, 4, 27));
        assert_eq!(details.sex.as_deref(), Some("M"));
        assert_eq!(details.state.as_deref(), Some("VZ"));
        let details = check("GOMC050301HDFMRRA5").details;
        assert_eq!(details.birth_date, NaiveDate::from_ymd_opt(2005, 3, 1));
        assert_eq!(details.state.as_deref(), Some("DF"));
        assert_eq!(
            check("PEXJ991231XNEXXX04").details.state.as_deref(),
            Some("NE")
        );
    }

    #[test]
    fn agreement_with_rfc() {
        let cases = [
            ("HEGG560427MVZRRL04", "HEGG560427AB1", true),
            ("hegg560427mvzrrl04", "HEGG-560427-AB1", true),
            ("HEGG560427MVZRRL04", "HEGH560427AB1", false),
            ("HEGG560427MVZRRL04", "HEGG5604", false),
            ("", "", false),
        ];
        for (curp, rfc, agree) in cases {
            assert_eq!(agrees_with_rfc(curp, rfc), agree, "{curp} {rfc}");
        }
    }
}
