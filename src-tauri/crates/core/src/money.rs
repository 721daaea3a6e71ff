//! Money and quantities as people in Mexico type them, and the arithmetic of a bid:
//! exact decimals throughout, never floating point.
//!
//! Accepted amounts: digits, optionally grouped by thousands with commas (`1,234,567`)
//! or spaces (`1 234 567`), a point before one or two decimals (`1,234.5`,
//! `1,234.50`), an optional leading `$` and an optional trailing `MXN`. A comma where
//! the point belongs (`2,50`, `1.234,56`) is refused rather than guessed, because read
//! the Mexican way it would be a number a hundred or a thousand times too large.
//! Quantities follow the same rules with up to three decimals and no currency marks.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// IVA in Mexico City (not in the border region): 16 %.
pub const IVA_RATE: Decimal = Decimal::from_parts(16, 0, 0, false, 2);

/// The most integer digits an amount may have: up to a thousand billion pesos, far
/// above any tender, and low enough that every product of a bid fits in a `Decimal`.
const MAX_AMOUNT_DIGITS: usize = 13;
/// The most integer digits a quantity may have.
const MAX_QUANTITY_DIGITS: usize = 10;
const MAX_AMOUNT_DECIMALS: usize = 2;
const MAX_QUANTITY_DECIMALS: usize = 3;

/// Why a typed amount or quantity cannot be read.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum NumberProblem {
    /// Letters, symbols, or digits grouped in a way that is not thousands.
    NotNumber,
    /// Below zero.
    Negative,
    /// A comma used as the decimal separator.
    DecimalComma,
    /// More decimals than the amount may have (centavos for a price).
    TooManyDecimals,
    /// Beyond what is ever a real amount.
    TooLarge,
}

/// Reads an amount of pesos (at most two decimals), such as `$1,234.50`.
pub fn parse_pesos(text: &str) -> Result<Decimal, NumberProblem> {
    let text = text.trim();
    let text = text.strip_prefix('$').unwrap_or(text);
    let text = strip_suffix_ignore_case(text, "mxn").unwrap_or(text);
    parse_number(text, MAX_AMOUNT_DIGITS, MAX_AMOUNT_DECIMALS)
}

/// Reads a quantity (at most three decimals), such as `1,500` or `2.5`.
pub fn parse_quantity(text: &str) -> Result<Decimal, NumberProblem> {
    parse_number(text.trim(), MAX_QUANTITY_DIGITS, MAX_QUANTITY_DECIMALS)
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let (head, tail) = (text.get(..cut)?, text.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

fn parse_number(
    text: &str,
    max_digits: usize,
    max_decimals: usize,
) -> Result<Decimal, NumberProblem> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (negative, unsigned) = match compact.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let (whole, decimals) = match unsigned.split_once('.') {
        Some((whole, decimals)) => (whole, Some(decimals)),
        None => (unsigned, None),
    };
    if let Some(decimals) = decimals {
        if decimals.contains(',') && !whole.contains(',') {
            // `1.234,56`: points between thousands and a decimal comma.
            return Err(NumberProblem::DecimalComma);
        }
        if decimals.is_empty() || !decimals.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberProblem::NotNumber);
        }
    }
    let digits = ungroup(whole)?;
    if negative {
        return Err(NumberProblem::Negative);
    }
    let decimals = decimals.unwrap_or("");
    if decimals.len() > max_decimals {
        return Err(NumberProblem::TooManyDecimals);
    }
    if digits.trim_start_matches('0').len() > max_digits {
        return Err(NumberProblem::TooLarge);
    }
    let number = if decimals.is_empty() {
        digits
    } else {
        format!("{digits}.{decimals}")
    };
    Decimal::from_str_exact(&number).map_err(|_| NumberProblem::TooLarge)
}

/// Digits with optional commas between thousands, without the commas. A last group of
/// one or two digits after a comma is a decimal comma (`2,5`, `1,234,50`).
pub(crate) fn ungroup(value: &str) -> Result<String, NumberProblem> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Err(NumberProblem::NotNumber);
    }
    if !value.contains(',') {
        return Ok(value.to_owned());
    }
    let groups: Vec<&str> = value.split(',').collect();
    let (last, first) = (groups[groups.len() - 1], groups[0]);
    if groups.len() >= 2 && (1..=2).contains(&last.len()) && !value.ends_with(',') {
        return Err(NumberProblem::DecimalComma);
    }
    let grouped = (1..=3).contains(&first.len()) && groups[1..].iter().all(|g| g.len() == 3);
    if grouped {
        Ok(value.replace(',', ""))
    } else {
        Err(NumberProblem::NotNumber)
    }
}

/// Rounds to centavos, half away from zero (0.005 → 0.01, −0.005 → −0.01).
pub fn round_centavos(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats an amount as Mexican pesos: `$1,234.50 MXN`.
pub fn format_mxn(amount: Decimal) -> String {
    let rounded = round_centavos(amount);
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (position, digit) in whole.chars().enumerate() {
        if position > 0 && (whole.len() - position) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${grouped}.{cents} MXN")
}

/// An amount as stored and sent: exactly two decimals, such as `1234.50`.
pub fn centavos_text(amount: Decimal) -> String {
    format!("{:.2}", round_centavos(amount))
}

/// The amounts of a bid's economic part were too large to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// The subtotal of one line: unit price × quantity, rounded to centavos.
pub fn line_subtotal(unit_price: Decimal, quantity: Decimal) -> Result<Decimal, Overflow> {
    unit_price
        .checked_mul(quantity)
        .map(round_centavos)
        .ok_or(Overflow)
}

/// The totals of a bid's economic part.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Totals {
    /// One per line, rounded to centavos, in the order given.
    #[ts(type = "Array<string>")]
    pub lines: Vec<Decimal>,
    /// The sum of the lines, before IVA.
    #[ts(type = "string")]
    pub subtotal: Decimal,
    /// 16 % of the subtotal, rounded once.
    #[ts(type = "string")]
    pub iva: Decimal,
    #[ts(type = "string")]
    /// The subtotal plus IVA.
    pub total: Decimal,
    /// The bid bond (garantía de sostenimiento): the tender's rate × the subtotal,
    /// rounded to centavos; `None` when the tender asks for none.
    #[ts(type = "string | null")]
    pub bid_bond: Option<Decimal>,
}

/// Computes the totals of lines given as (unit price, quantity): each line rounded to
/// centavos, IVA on the sum of the lines, rounded once. Checked throughout, so absurd
/// amounts give [`Overflow`], never a panic.
pub fn totals(
    lines: impl IntoIterator<Item = (Decimal, Decimal)>,
    bid_bond_rate: Option<Decimal>,
) -> Result<Totals, Overflow> {
    let lines = lines
        .into_iter()
        .map(|(price, quantity)| line_subtotal(price, quantity))
        .collect::<Result<Vec<_>, _>>()?;
    let subtotal = lines
        .iter()
        .try_fold(Decimal::ZERO, |sum, line| sum.checked_add(*line))
        .ok_or(Overflow)?;
    let iva = round_centavos(subtotal.checked_mul(IVA_RATE).ok_or(Overflow)?);
    let total = subtotal.checked_add(iva).ok_or(Overflow)?;
    let bid_bond = bid_bond_rate
        .map(|rate| {
            subtotal
                .checked_mul(rate)
                .map(round_centavos)
                .ok_or(Overflow)
        })
        .transpose()?;
    Ok(Totals {
        lines,
        subtotal,
        iva,
        total,
        bid_bond,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn accepted_amounts() {
        let cases = [
            ("0", "0"),
            ("1234.5", "1234.5"),
            ("1,234.50", "1234.50"),
            ("$1,234.50", "1234.50"),
            ("$ 1 234.50", "1234.50"),
            ("1,234,567", "1234567"),
            ("  12.05 MXN ", "12.05"),
            ("$12mxn", "12"),
            ("0.5", "0.5"),
            ("0001", "1"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_pesos(input), Ok(dec(expected)), "{input:?}");
        }
    }

    #[test]
    fn refused_amounts_say_why() {
        use NumberProblem::*;
        let cases = [
            ("", NotNumber),
            ("$", NotNumber),
            ("doce", NotNumber),
            ("12a", NotNumber),
            ("1e5", NotNumber),
            ("12.", NotNumber),
            (".5", NotNumber),
            ("1,23,456", NotNumber),
            ("1234,567", NotNumber),
            ("1.2.3", NotNumber),
            ("-5", Negative),
            ("−5.00", Negative),
            ("$-1,000", Negative),
            ("2,5", DecimalComma),
            ("2,50", DecimalComma),
            ("1,234,50", DecimalComma),
            ("1.234,56", DecimalComma),
            ("12.505", TooManyDecimals),
            ("99999999999999", TooLarge),
            (&"9".repeat(40), TooLarge),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_pesos(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("1,500"), Ok(dec("1500")));
        assert_eq!(parse_quantity("2.125"), Ok(dec("2.125")));
        assert_eq!(parse_quantity("2,5"), Err(NumberProblem::DecimalComma));
        assert_eq!(
            parse_quantity("2.1255"),
            Err(NumberProblem::TooManyDecimals)
        );
        assert_eq!(parse_quantity("$2"), Err(NumberProblem::NotNumber));
        assert_eq!(parse_quantity("-1"), Err(NumberProblem::Negative));
        assert_eq!(parse_quantity("99999999999"), Err(NumberProblem::TooLarge));
    }

    #[test]
    fn pesos_are_formatted_the_mexican_way() {
        let cases = [
            ("0", "$0.00 MXN"),
            ("5", "$5.00 MXN"),
            ("999.999", "$1,000.00 MXN"),
            ("1234.5", "$1,234.50 MXN"),
            ("123456", "$123,456.00 MXN"),
            ("1234567.891", "$1,234,567.89 MXN"),
            ("-1234.5", "-$1,234.50 MXN"),
            ("-0.001", "$0.00 MXN"),
        ];
        for (amount, expected) in cases {
            assert_eq!(format_mxn(dec(amount)), expected, "{amount}");
        }
        assert_eq!(centavos_text(dec("7.005")), "7.01");
        assert_eq!(centavos_text(dec("7")), "7.00");
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_each_line_and_once_for_iva() {
        assert_eq!(round_centavos(dec("0.005")), dec("0.01"));
        assert_eq!(round_centavos(dec("0.0049")), dec("0.00"));
        assert_eq!(round_centavos(dec("-0.005")), dec("-0.01"));
        assert_eq!(round_centavos(dec("2.675")), dec("2.68"));
        // 3 × 0.335 = 1.005 → 1.01 per line; two lines 2.02; IVA 0.3232 → 0.32.
        let t = totals([(dec("0.335"), dec("3")), (dec("0.335"), dec("3"))], None).unwrap();
        assert_eq!(t.lines, vec![dec("1.01"), dec("1.01")]);
        assert_eq!(t.subtotal, dec("2.02"));
        assert_eq!(t.iva, dec("0.32"));
        assert_eq!(t.total, dec("2.34"));
        // IVA is rounded once on the sum, not per line: 3 lines of 0.03 give
        // 0.09 × 0.16 = 0.0144 → 0.01, where per-line IVA would give 0.
        let t = totals([(dec("0.03"), dec("1")); 3], Some(dec("0.05"))).unwrap();
        assert_eq!(t.iva, dec("0.01"));
        assert_eq!(t.bid_bond, Some(dec("0.00")));
        let t = totals([(dec("1234.50"), dec("10"))], Some(dec("0.05"))).unwrap();
        assert_eq!(t.subtotal, dec("12345.00"));
        assert_eq!(t.iva, dec("1975.20"));
        assert_eq!(t.total, dec("14320.20"));
        assert_eq!(t.bid_bond, Some(dec("617.25")));
    }

    #[test]
    fn absurd_amounts_overflow_without_panicking() {
        let huge = Decimal::MAX;
        assert_eq!(totals([(huge, dec("2"))], None), Err(Overflow));
        assert_eq!(
            totals([(huge, dec("1")), (huge, dec("1"))], None),
            Err(Overflow)
        );
        let largest_typed = parse_pesos(&"9".repeat(MAX_AMOUNT_DIGITS)).unwrap();
        let largest_quantity = parse_quantity(&"9".repeat(MAX_QUANTITY_DIGITS)).unwrap();
        assert!(totals([(largest_typed, largest_quantity); 1000], Some(dec("1"))).is_ok());
    }

    fn centavos() -> impl Strategy<Value = Decimal> {
        (0i64..=10_000_000_000_000).prop_map(|c| Decimal::new(c, 2))
    }

    fn quantity() -> impl Strategy<Value = Decimal> {
        (0i64..=10_000_000_000).prop_map(|q| Decimal::new(q, 3))
    }

    proptest! {
        #[test]
        fn totals_are_the_sum_of_the_lines(
            lines in proptest::collection::vec((centavos(), quantity()), 0..40),
            rate in (0i64..=100).prop_map(|r| Decimal::new(r, 2)),
        ) {
            let t = totals(lines.iter().copied(), Some(rate)).unwrap();
            prop_assert_eq!(t.lines.len(), lines.len());
            let mut sum = Decimal::ZERO;
            for (line, (price, quantity)) in t.lines.iter().zip(&lines) {
                // Each line is within half a centavo of the exact product, with 2 decimals.
                prop_assert!((*line - price * quantity).abs() <= Decimal::new(5, 3));
                prop_assert!(line.scale() <= 2);
                sum += line;
            }
            prop_assert_eq!(t.subtotal, sum);
            prop_assert!((t.iva - sum * IVA_RATE).abs() <= Decimal::new(5, 3));
            prop_assert_eq!(t.total, t.subtotal + t.iva);
            prop_assert!(t.bid_bond.unwrap() <= t.subtotal);
        }

        #[test]
        fn rounding_is_half_away_from_zero(mills in -1_000_000i64..1_000_000) {
            let amount = Decimal::new(mills, 3);
            let rounded = round_centavos(amount);
            let lower = amount.trunc_with_scale(2);
            let expected = if mills.abs() % 10 >= 5 {
                lower + Decimal::new(mills.signum(), 2)
            } else {
                lower
            };
            prop_assert_eq!(rounded, expected);
        }

        #[test]
        fn arbitrary_decimals_never_panic(
            lines in proptest::collection::vec(
                (any::<(u32, u32, u32, bool, u8)>(), any::<(u32, u32, u32, bool, u8)>()), 0..8),
            rate in any::<(u32, u32, u32, bool, u8)>(),
        ) {
            let make = |(lo, mid, hi, negative, scale): (u32, u32, u32, bool, u8)| {
                Decimal::from_parts(lo, mid, hi, negative, u32::from(scale % 29))
            };
            let _ = totals(lines.into_iter().map(|(p, q)| (make(p), make(q))), Some(make(rate)));
        }

        #[test]
        fn formatting_and_parsing_agree(cents in 0i64..=1_000_000_000_000_000) {
            let amount = Decimal::new(cents, 2);
            let shown = format_mxn(amount);
            prop_assert_eq!(parse_pesos(&shown), Ok(amount));
        }

        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,30}") {
            let _ = parse_pesos(&text);
            let _ = parse_quantity(&text);
        }
    }
}
