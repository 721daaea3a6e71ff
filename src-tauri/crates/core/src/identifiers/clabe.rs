//! The CLABE (Clave Bancaria Estandarizada), the 18-digit account the alcaldía pays into:
//! bank code (3), plaza (3), account (11) and a check digit.

use serde::Serialize;
use ts_rs::TS;

use super::{normalize, Verdict};
use crate::banks::BankCatalogue;
use crate::message::Code;

/// What a CLABE tells, once it has 18 digits.
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct ClabeDetails {
    /// The 3 digits naming the bank.
    pub bank_code: Option<String>,
    /// The bank's name, when its code is in the catalogue.
    pub bank: Option<String>,
    /// The 3 digits naming the plaza (the city of the branch).
    pub plaza: Option<String>,
    /// The 11 digits of the account.
    pub account: Option<String>,
}

/// Checks a CLABE as typed or pasted, naming its bank from `banks`. A bank `banks`
/// lacks is only a warning: Banxico adds participants faster than any list is updated.
pub fn check(input: &str, banks: &BankCatalogue) -> Verdict<ClabeDetails> {
    let normalized = normalize(input);
    let mut details = ClabeDetails::default();
    let issues = if normalized.is_empty() {
        vec![Code::Required]
    } else if !normalized.bytes().all(|b| b.is_ascii_digit()) {
        vec![Code::ClabeNotDigits]
    } else if normalized.len() != 18 {
        vec![Code::ClabeLength]
    } else {
        read(&normalized, banks, &mut details)
    };
    Verdict {
        normalized,
        issues,
        details,
    }
}

/// The check digit for the first 17 digits of a CLABE, or `None` when they are not 17
/// digits.
pub fn check_digit(first17: &str) -> Option<char> {
    let digits: Vec<u32> = normalize(first17)
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| (d * w) % 10)
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10)
}

/// Bank, plaza, account and check digit of 18 ASCII digits.
fn read(clabe: &str, banks: &BankCatalogue, details: &mut ClabeDetails) -> Vec<Code> {
    let (bank_code, rest) = clabe.split_at(3);
    let (plaza, rest) = rest.split_at(3);
    let (account, digit) = rest.split_at(11);
    let bank = banks.bank(bank_code);
    *details = ClabeDetails {
        bank_code: Some(bank_code.to_owned()),
        bank: bank.map(|b| b.name.clone()),
        plaza: Some(plaza.to_owned()),
        account: Some(account.to_owned()),
    };
    let mut issues = Vec::new();
    if check_digit(&clabe[..17]) != digit.chars().next() {
        issues.push(Code::ClabeCheckDigit);
    }
    if bank.is_none() {
        issues.push(Code::ClabeUnknownBank);
    }
    issues
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // Check digits worked by hand (weights 3, 7, 1 repeating; add each product mod 10;
    // digit = (10 - sum mod 10) mod 10):
    //
    // 002010077777777771 (Banamex): 0 0 2 0 7 0 0 9(49) 7 1(21) 9 7 1 9 7 1 9; sum 69,
    //   digit 1.
    // 012180001234567899 (BBVA): 0 7 2 3 6(56) 0 0 0 1 6 1(21) 4 5(15) 2(42) 7 4(24)
    //   3(63); sum 51, digit 9.
    // 999180001234567890 (no such bank): 7(27) 3(63) 9 3 6(56) 0 0 0 1 6 1 4 5 2 7 4 3;
    //   sum 61, digit 9.
    #[test]
    fn check_digits_match_hand_computed_values() {
        let cases = [
            ("00201007777777777", Some('1')),
            ("01218000123456789", Some('9')),
            ("99918000123456789", Some('9')),
            ("002 010 07777777777", Some('1')),
            ("0020100777777777", None),
            ("002010077777777771", None),
            ("0020100777777777A", None),
        ];
        for (first17, expected) in cases {
            assert_eq!(check_digit(first17), expected, "{first17}");
        }
    }

    fn check(input: &str) -> Verdict<ClabeDetails> {
        super::check(input, &BankCatalogue::default_catalogue())
    }

    #[test]
    fn checks() {
        use Code::*;
        let cases: &[(&str, &[Code])] = &[
            ("002010077777777771", &[]),
            ("002 010 07777777777 1", &[]),
            ("002-010-07777777777-1", &[]),
            ("012180001234567899", &[]),
            ("002010077777777772", &[ClabeCheckDigit]),
            ("012180001234567890", &[ClabeCheckDigit]),
            ("999180001234567899", &[ClabeUnknownBank]),
            ("999180001234567890", &[ClabeCheckDigit, ClabeUnknownBank]),
            ("00201007777777777", &[ClabeLength]),
            ("0020100777777777710", &[ClabeLength]),
            ("00201007777777777O", &[ClabeNotDigits]),
            ("002.010.077777777771", &[ClabeNotDigits]),
            ("", &[Required]),
        ];
        for (input, issues) in cases {
            let verdict = check(input);
            assert_eq!(&verdict.issues, issues, "{input:?}");
            let blocking = issues.iter().any(|c| *c != ClabeUnknownBank);
            assert_eq!(verdict.is_valid(), !blocking, "{input:?}");
        }
    }

    #[test]
    fn an_unknown_bank_with_a_right_check_digit_only_warns() {
        let verdict = check("999180001234567899");
        assert!(verdict.is_valid());
        assert_eq!(
            verdict.warnings().collect::<Vec<_>>(),
            [Code::ClabeUnknownBank]
        );
        assert_eq!(verdict.details.bank_code.as_deref(), Some("999"));

        // Known to a newer list the server sent: the same CLABE names its bank.
        let newer = BankCatalogue::from_json(
            r#"{"version": "v2", "banks": [{"code": "999", "name": "Banco Nuevo"}]}"#,
        )
        .unwrap();
        let verdict = super::check("999180001234567899", &newer);
        assert_eq!(verdict.issues, []);
        assert_eq!(verdict.details.bank.as_deref(), Some("Banco Nuevo"));
    }

    #[test]
    fn details_are_read() {
        let details = check("002 010 07777777777 1").details;
        assert_eq!(details.bank_code.as_deref(), Some("002"));
        assert_eq!(details.bank.as_deref(), Some("Banamex"));
        assert_eq!(details.plaza.as_deref(), Some("010"));
        assert_eq!(details.account.as_deref(), Some("07777777777"));

        let unknown = check("999180001234567899").details;
        assert_eq!(unknown.bank_code.as_deref(), Some("999"));
        assert_eq!(unknown.bank, None);

        assert_eq!(check("1234").details, ClabeDetails::default());
    }
}
