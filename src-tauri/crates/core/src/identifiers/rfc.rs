//! The RFC (Registro Federal de Contribuyentes), the tax id every supplier has.
//!
//! A persona moral's RFC has 12 characters and a persona física's 13: the letters of the
//! name, a date `YYMMDD`, and a 3-character homoclave whose last character is a check
//! digit. Some RFCs genuinely in use fail the check digit, so that is only a warning.
//! A física's four letters never spell one of SAT's inconvenient words.

use serde::Serialize;
use ts_rs::TS;

use super::inconvenient::{starts_with_one, RFC_WORDS};
use super::{normalize, parse_yymmdd, push_once, value_in, Verdict};
use crate::message::Code;
use crate::registration::Persona;

/// Values of the check-digit algorithm, by position: 0-9, A-N, &, O-Z, space, Ñ.
const ALPHABET: &str = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

/// The RFCs SAT uses for "general public" and "foreigner" sales: not a supplier's own.
const GENERIC: [&str; 2] = ["XAXX010101000", "XEXX010101000"];

/// What an RFC tells about its holder.
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct RfcDetails {
    /// Inferred from the length: 12 characters for a moral, 13 for a física.
    pub persona: Option<Persona>,
}

/// Checks an RFC as typed or pasted.
pub fn check(input: &str) -> Verdict<RfcDetails> {
    let normalized = normalize(input);
    let chars: Vec<char> = normalized.chars().collect();
    let persona = match chars.len() {
        // Four letters then: a física's RFC with a character missing, not a moral's.
        12 if is_name_letter(chars[3]) => None,
        12 => Some(Persona::Moral),
        13 => Some(Persona::Fisica),
        _ => None,
    };
    let issues = match persona {
        None if chars.is_empty() => vec![Code::Required],
        None => vec![Code::RfcLength],
        Some(_) if GENERIC.contains(&normalized.as_str()) => vec![Code::RfcGeneric],
        Some(_) => problems(&chars),
    };
    Verdict {
        normalized,
        issues,
        details: RfcDetails { persona },
    }
}

/// The check digit for an RFC given without it (11 characters for a moral, 12 for a
/// física), or `None` when it is not that long or has characters an RFC cannot have.
pub fn check_digit(rfc_without_digit: &str) -> Option<char> {
    let chars: Vec<char> = normalize(rfc_without_digit).chars().collect();
    digit_for(&chars)
}

/// Shape, letters, date and check digit of a 12- or 13-character RFC.
fn problems(chars: &[char]) -> Vec<Code> {
    let (letters, rest) = chars.split_at(chars.len() - 9);
    let (date, homoclave) = rest.split_at(6);
    let mut issues = Vec::new();
    if !letters.iter().all(|&c| is_name_letter(c)) {
        push_once(&mut issues, Code::RfcShape);
    }
    // Only a física's four letters come from a person's names.
    if letters.len() == 4 && starts_with_one(&RFC_WORDS, letters) {
        push_once(&mut issues, Code::RfcInconvenientWord);
    }
    // Any century does: 2000 is a leap year, so 29 February is accepted when YY % 4 == 0.
    if parse_yymmdd(date, 2000).is_none() {
        push_once(&mut issues, Code::RfcDate);
    }
    let homoclave_ok = homoclave
        .iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && homoclave
            .last()
            .is_some_and(|&c| c.is_ascii_digit() || c == 'A');
    if !homoclave_ok {
        push_once(&mut issues, Code::RfcShape);
    }
    // A check digit only means something once everything else is well formed.
    if issues.is_empty() {
        if let Some((&digit, body)) = chars.split_last() {
            if digit_for(body) != Some(digit) {
                issues.push(Code::RfcCheckDigit);
            }
        }
    }
    issues
}

/// The characters the name part of an RFC is made of.
fn is_name_letter(c: char) -> bool {
    c.is_ascii_uppercase() || c == 'Ñ' || c == '&'
}

fn digit_for(body: &[char]) -> Option<char> {
    if !(11..=12).contains(&body.len()) {
        return None;
    }
    // A moral's shorter RFC is left-padded with a space so both weigh 13 down to 2.
    let padded = std::iter::repeat_n(' ', 12 - body.len()).chain(body.iter().copied());
    let mut sum = 0;
    for (c, weight) in padded.zip((2..=13).rev()) {
        sum += value_in(ALPHABET, c)? * weight;
    }
    match sum % 11 {
        0 => Some('0'),
        1 => Some('A'),
        r => char::from_digit(11 - r, 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiers::inconvenient::RFC_WORDS;

    // Check digits worked by hand (values: A-N = 10-23, & = 24, O-Z = 25-36, space = 37,
    // Ñ = 38; weights 13 down to 2; r = sum mod 11; digit = 11 - r, 0 when r = 0):
    //
    // GODE561231GR8 (SAT's física example): G16·13=208 O25·12=300 D13·11=143 E14·10=140
    //   5·9=45 6·8=48 1·7=7 2·6=12 3·5=15 1·4=4 G16·3=48 R28·2=56; sum 1026 = 93·11 + 3,
    //   digit 11 - 3 = 8.
    // WMT970714R10 (Nueva Wal-Mart de México): space37·13=481 W33·12=396 M22·11=242
    //   T30·10=300 9·9=81 7·8=56 0·7=0 7·6=42 1·5=5 4·4=16 R28·3=84 1·2=2; sum 1705 =
    //   155·11, r = 0, digit 0.
    // PME380607P35 (Pemex): 481 P26·12=312 M22·11=242 E14·10=140 3·9=27 8·8=64 0·7=0
    //   6·6=36 0·5=0 7·4=28 P26·3=78 3·2=6; sum 1414 = 128·11 + 6, digit 5.
    // CFE370814QI0 (CFE): 481 C12·12=144 F15·11=165 E14·10=140 3·9=27 7·8=56 0·7=0
    //   8·6=48 1·5=5 4·4=16 Q27·3=81 I18·2=36; sum 1199 = 109·11, digit 0.
    // R&S030415KL5 (made up, with &): 481 R28·12=336 &24·11=264 S29·10=290 0·9=0 3·8=24
    //   0·7=0 4·6=24 1·5=5 5·4=20 K20·3=60 L21·2=42; sum 1546 = 140·11 + 6, digit 5.
    // MUÑO850412H70 (made up, with Ñ): M22·13=286 U31·12=372 Ñ38·11=418 O25·10=250
    //   8·9=72 5·8=40 0·7=0 4·6=24 1·5=5 2·4=8 H17·3=51 7·2=14; sum 1540 = 140·11, digit 0.
    // AAA010101AAA (SAT's test RFC): 481 A10·12=120 A10·11=110 A10·10=100 0 1·8=8 0 1·6=6
    //   0 1·4=4 A10·3=30 A10·2=20; sum 879 = 79·11 + 10, digit 1: its final A is wrong.
    // LOPA7001011BA (made up, digit A): L21·13=273 O25·12=300 P26·11=286 A10·10=100
    //   7·9=63 0 0 1·6=6 0 1·4=4 1·3=3 B11·2=22; sum 1057 = 96·11 + 1, digit 11 - 1 = 10 = A.
    #[test]
    fn check_digits_match_hand_computed_values() {
        let cases = [
            ("GODE561231GR", Some('8')),
            ("WMT970714R1", Some('0')),
            ("PME380607P3", Some('5')),
            ("CFE370814QI", Some('0')),
            ("R&S030415KL", Some('5')),
            ("MUÑO850412H7", Some('0')),
            ("AAA010101AA", Some('1')),
            ("LOPA7001011B", Some('A')),
            ("muño850412h7", Some('0')),
            ("GODE561231GR8", None),
            ("GODE56123", None),
            ("GODE561231G*", None),
        ];
        for (body, expected) in cases {
            assert_eq!(check_digit(body), expected, "{body}");
        }
    }

    #[test]
    fn checks() {
        use Code::*;
        let fisica = Some(Persona::Fisica);
        let moral = Some(Persona::Moral);
        let cases: &[(&str, &[Code], Option<Persona>)] = &[
            // Valid, as typed in many ways.
            ("GODE561231GR8", &[], fisica),
            ("gode561231gr8", &[], fisica),
            ("  GODE-561231-GR8 ", &[], fisica),
            ("gode 561231 gr8", &[], fisica),
            ("WMT970714R10", &[], moral),
            ("PME-380607-P35", &[], moral),
            ("cfe370814qi0", &[], moral),
            ("R&S030415KL5", &[], moral),
            ("r&s030415kl5", &[], moral),
            ("MUÑO850412H70", &[], fisica),
            ("muño850412h70", &[], fisica),
            ("LOPA7001011BA", &[], fisica),
            // A wrong check digit is only a warning.
            ("GODE561231GR9", &[RfcCheckDigit], fisica),
            ("AAA010101AAA", &[RfcCheckDigit], moral),
            ("WMT970714R11", &[RfcCheckDigit], moral),
            // Generic RFCs.
            ("XAXX010101000", &[RfcGeneric], fisica),
            ("xexx-010101-000", &[RfcGeneric], fisica),
            // Impossible dates.
            ("GODE991332GR8", &[RfcDate], fisica),
            ("GODE990230GR8", &[RfcDate], fisica),
            ("GODE010229GR8", &[RfcDate], fisica),
            ("GODE56AB31GR8", &[RfcDate], fisica),
            // Shape.
            ("G0DE561231GR8", &[RfcShape], fisica),
            ("GODE561231GRB", &[RfcShape], fisica),
            ("GODE561231G*8", &[RfcShape], fisica),
            ("W1T991332R10", &[RfcShape, RfcDate], moral),
            // Length.
            ("", &[Required], None),
            ("   ", &[Required], None),
            ("GODE561231GR", &[RfcLength], None),
            ("GODE561231G", &[RfcLength], None),
            ("R&SA030415KL", &[RfcLength], None),
            ("GODE561231GR8X", &[RfcLength], None),
            ("G", &[RfcLength], None),
        ];
        for (input, issues, persona) in cases {
            let verdict = check(input);
            assert_eq!(&verdict.issues, issues, "{input:?}");
            assert_eq!(verdict.details.persona, *persona, "{input:?}");
            let valid = issues.iter().all(|c| *c == RfcCheckDigit);
            assert_eq!(verdict.is_valid(), valid, "{input:?}");
        }
    }

    /// `letters` with a física's date and homoclave and its right check digit.
    fn fisica_rfc(letters: &str) -> String {
        let body = format!("{letters}580710NF");
        let digit = check_digit(&body).map(String::from).unwrap_or_default();
        format!("{body}{digit}")
    }

    #[test]
    fn inconvenient_words_are_refused_and_their_x_forms_pass() {
        for word in RFC_WORDS {
            for typed in [fisica_rfc(word), fisica_rfc(word).to_lowercase(), {
                let rfc = fisica_rfc(word);
                format!(
                    " {} {}-{}-{} ",
                    &rfc[..2],
                    &rfc[2..4].to_lowercase(),
                    &rfc[4..10],
                    &rfc[10..]
                )
            }] {
                let verdict = check(&typed);
                assert_eq!(verdict.issues, [Code::RfcInconvenientWord], "{typed:?}");
                assert!(!verdict.is_valid(), "{typed:?}");
            }
            // SAT's fix changes the last letter to X; the second is checked too, as
            // RENAPO's CURP fix.
            for fixed in [
                format!("{}X", &word[..3]),
                format!("{}X{}", &word[..1], &word[2..]),
            ] {
                let rfc = fisica_rfc(&fixed);
                assert_eq!(check(&rfc).issues, [], "{rfc}");
            }
        }
        // A moral's three letters are an abbreviation, not a person's name.
        let moral = format!("CAC580710NF{}", check_digit("CAC580710NF").unwrap_or('?'));
        assert_eq!(check(&moral).issues, [], "{moral}");
        // With other mistakes, the word is reported among them.
        assert_eq!(
            check("PUTO991332NF1").issues,
            [Code::RfcInconvenientWord, Code::RfcDate]
        );
    }

    #[test]
    fn leap_days() {
        // 2000 and 2024 were leap years; 2001 and 1999 were not.
        for (date, ok) in [
            ("000229", true),
            ("240229", true),
            ("010229", false),
            ("990229", false),
        ] {
            let body = format!("LOPA{date}1B");
            let digit = check_digit(&body).map(String::from).unwrap_or_default();
            let verdict = check(&format!("{body}{digit}"));
            assert_eq!(verdict.is_valid(), ok, "{date}");
        }
    }

    #[test]
    fn normalized_form_is_what_gets_stored() {
        assert_eq!(check(" muño-850412-h70 ").normalized, "MUÑO850412H70");
    }

    #[test]
    fn a_ten_thousand_character_rfc_is_too_long() {
        let verdict = check(&"A".repeat(10_000));
        assert_eq!(verdict.issues, [Code::RfcLength]);
    }
}
