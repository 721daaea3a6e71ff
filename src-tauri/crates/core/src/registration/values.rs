//! The checks on single typed values: free text, postal code, email, phone, counts and
//! amounts.

use rust_decimal::Decimal;

use crate::message::Code;

/// Limits of free text: how long it may be and whether it may span lines.
#[derive(Clone, Copy)]
struct TextRule {
    max_chars: usize,
    multiline: bool,
}

/// A one-line value: names, street, numbers, neighborhood...
const LINE: TextRule = TextRule {
    max_chars: 254,
    multiline: false,
};

/// A description, such as the goods and services offered.
const PARAGRAPH: TextRule = TextRule {
    max_chars: 1000,
    multiline: true,
};

pub(super) fn line_text(value: &str) -> Option<Code> {
    text_problem(value, LINE)
}

pub(super) fn paragraph_text(value: &str) -> Option<Code> {
    text_problem(value, PARAGRAPH)
}

/// Too long, or with characters official paperwork cannot carry (emoji, symbols).
fn text_problem(value: &str, rule: TextRule) -> Option<Code> {
    if value.chars().count() > rule.max_chars {
        return Some(Code::TooLong);
    }
    let allowed = |c: char| {
        c.is_alphanumeric()
            || c == ' '
            || (rule.multiline && matches!(c, '\n' | '\r'))
            || matches!(
                c,
                '.' | ',' | '&' | '\'' | '"' | '-' | '/' | '(' | ')' | '#' | '°' | ':' | ';' | '+'
                // Word processors turn quotes into typographic ones when text is pasted.
                | '‘' | '’' | '“' | '”'
            )
            // Accents typed on some systems arrive as a letter plus a combining mark.
            || ('\u{300}'..='\u{36f}').contains(&c)
    };
    (!value.chars().all(allowed)).then_some(Code::InvalidCharacters)
}

pub(super) fn is_digits(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit())
}

/// The postal code as a number, when it has the 5 digits it must have.
pub(super) fn postal_code(value: &str) -> Option<u32> {
    let value = value.trim();
    is_digits(value, 5)
        .then_some(value)
        .and_then(|v| v.parse().ok())
}

/// `local@domain.tld`, without spaces, at most 254 characters.
pub(super) fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    value.chars().count() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.is_empty()
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld_ok
}

/// Ten digits once the usual separators and the country code (+52) are gone.
pub(super) fn is_phone(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')'))
        .collect();
    let national = match compact.strip_prefix('+') {
        Some(international) => international.strip_prefix("52"),
        None if compact.len() == 12 => compact.strip_prefix("52"),
        None => Some(compact.as_str()),
    };
    national.is_some_and(|n| is_digits(n, 10))
}

/// A head count: a whole number up to a million, thousands separators allowed.
pub(super) fn workers(value: &str) -> Option<u32> {
    let count: u32 = crate::money::ungroup(value.trim()).ok()?.parse().ok()?;
    (count <= 1_000_000).then_some(count)
}

/// An amount of pesos, read as everywhere else in the app (see [`crate::money`]).
pub(super) fn pesos(value: &str) -> Option<Decimal> {
    crate::money::parse_pesos(value).ok()
}

#[cfg(test)]
mod tests {
    use super::{pesos, workers};

    #[test]
    fn amounts_and_counts() {
        let amount = |s: &str| pesos(s).map(|d| d.to_string());
        let cases = [
            ("20,000,000.50", Some("20000000.50")),
            ("$20,000,000.5", Some("20000000.5")),
            ("$ 1 250 000", Some("1250000")),
            ("999", Some("999")),
            ("1,000", Some("1000")),
            ("0.5", Some("0.5")),
            ("1000,000", None),
            (",100", None),
            ("1,00", None),
            ("1.000,50", None),
            ("", None),
            ("$", None),
        ];
        for (input, expected) in cases {
            assert_eq!(amount(input).as_deref(), expected, "{input:?}");
        }
        assert_eq!(workers("0"), Some(0));
        assert_eq!(workers("12,345"), Some(12_345));
        assert_eq!(workers(&"9".repeat(10_000)), None);
    }
}
